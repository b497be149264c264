import { type Role, roles } from '@tickets/client';
import { type Command, Option } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { requireId, usageError } from '../errors';
import { formatTable, printJson, wantsJson } from '../format';
import { integerBetween } from '../parsers';
import { promptSecret } from '../prompt';

/** The new account's password: TICKETS_NEW_PASSWORD, or typed (not echoed), or the first line of stdin. */
async function newPassword(ctx: CliContext): Promise<string> {
  return ctx.env.TICKETS_NEW_PASSWORD || (await promptSecret(ctx, 'New password', 'TICKETS_NEW_PASSWORD'));
}

export function registerUsers(program: Command, ctx: CliContext): void {
  const users = program
    .command('users')
    .description('the accounts of your workspace (staff lists; admins change)');
  registerList(users, ctx);
  registerCreate(users, ctx);
  registerUpdate(users, ctx);
}

/** `tickets users list`: a page of accounts, filtered by role or deactivation. */
function registerList(users: Command, ctx: CliContext): void {
  users
    .command('list')
    .description('list accounts')
    .addOption(new Option('--role <role>', 'only this role').choices(roles))
    .option('--inactive', 'only deactivated accounts')
    .option('--workspace <id>', 'superadmin: the workspace')
    .option('--limit <n>', 'how many (1-100, default 25)', integerBetween(1, 100))
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .action(
      async (
        options: { role?: Role; inactive?: boolean; workspace?: string; limit?: number; cursor?: string },
        command: Command,
      ) => {
        const workspaceId =
          options.workspace === undefined ? undefined : requireId(options.workspace, 'workspace');
        const { client } = await connect(ctx);
        const page = await client.users.list.query({
          role: options.role,
          isActive: options.inactive ? false : undefined,
          workspaceId,
          limit: options.limit,
          cursor: options.cursor,
        });
        if (wantsJson(command)) {
          printJson(ctx.stdout, page);
          return;
        }
        const rows = page.items.map((user) => [
          user.id,
          user.role,
          user.isActive ? '' : 'inactive',
          user.email,
          user.name,
        ]);
        ctx.stdout.write(
          rows.length ? formatTable(['ID', 'ROLE', '', 'E-MAIL', 'NAME'], rows) : 'No accounts.\n',
        );
        if (page.nextCursor) ctx.stdout.write(`\nMore: tickets users list --cursor ${page.nextCursor} …\n`);
      },
    );
}

/** `tickets users create`: a new account, its password typed or piped, never on the command line. */
function registerCreate(users: Command, ctx: CliContext): void {
  users
    .command('create')
    .description('create an account (admin: in your workspace; superadmin: --workspace)')
    .requiredOption('--email <email>', 'sign-in e-mail')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices(roles).makeOptionMandatory())
    .option('--workspace <id>', 'superadmin: the workspace')
    .action(
      async (options: { email: string; name: string; role: Role; workspace?: string }, command: Command) => {
        const workspaceId =
          options.workspace === undefined ? undefined : requireId(options.workspace, 'workspace');
        const password = await newPassword(ctx);
        const { client } = await connect(ctx);
        const user = await client.users.create.mutate({
          email: options.email,
          name: options.name,
          role: options.role,
          password,
          workspaceId,
        });
        if (wantsJson(command)) printJson(ctx.stdout, user);
        else ctx.stdout.write(`Created ${user.role} ${user.email} (id ${user.id}).\n`);
      },
    );
}

/** `tickets users update <id>`: rename, change the role, (de)activate, or set a new password. */
function registerUpdate(users: Command, ctx: CliContext): void {
  users
    .command('update')
    .description('rename, change the role, (de)activate, or set a new password (--password asks for it)')
    .argument('<id>', 'user id')
    .option('--name <name>', 'new display name')
    .addOption(new Option('--role <role>', 'new role').choices(roles))
    .option('--activate', 'let them sign in again')
    .option('--deactivate', 'stop them signing in (ends their sessions)')
    .option('--password', 'set a new password (TICKETS_NEW_PASSWORD, typed, or stdin)')
    .action(
      async (
        rawId: string,
        options: { name?: string; role?: Role; activate?: boolean; deactivate?: boolean; password?: boolean },
        command: Command,
      ) => {
        const id = requireId(rawId, 'user');
        if (options.activate && options.deactivate)
          throw usageError('Pass --activate or --deactivate, not both.');
        const isActive = options.activate ? true : options.deactivate ? false : undefined;
        if (
          options.name === undefined &&
          options.role === undefined &&
          isActive === undefined &&
          !options.password
        ) {
          throw usageError('Nothing to change: pass --name, --role, --activate, --deactivate or --password.');
        }
        const password = options.password ? await newPassword(ctx) : undefined;
        const { client } = await connect(ctx);
        const user = await client.users.update.mutate({
          id,
          name: options.name,
          role: options.role,
          isActive,
          password,
        });
        if (wantsJson(command)) printJson(ctx.stdout, user);
        else ctx.stdout.write(`Updated ${user.email}: ${user.role}${user.isActive ? '' : ', inactive'}.\n`);
      },
    );
}
