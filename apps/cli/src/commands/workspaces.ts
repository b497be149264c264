import type { Command } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { formatTable, formatTime, printJson, wantsJson } from '../format';
import { integerBetween } from '../parsers';

export function registerWorkspaces(program: Command, ctx: CliContext): void {
  const workspaces = program
    .command('workspaces')
    .description('workspaces (tenants): everyone sees their own, a superadmin all and creates them');

  workspaces
    .command('list')
    .description('list the workspaces you can see')
    .option('--limit <n>', 'how many (1-100, default 25)', integerBetween(1, 100))
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .action(async (options: { limit?: number; cursor?: string }, command: Command) => {
      const { client } = await connect(ctx);
      const page = await client.workspaces.list.query({ limit: options.limit, cursor: options.cursor });
      if (wantsJson(command)) {
        printJson(ctx.stdout, page);
        return;
      }
      const rows = page.items.map((workspace) => [
        workspace.id,
        workspace.slug,
        workspace.allowSignUp ? 'sign-up open' : '',
        formatTime(workspace.createdAt),
        workspace.name,
      ]);
      ctx.stdout.write(
        rows.length ? formatTable(['ID', 'SLUG', '', 'CREATED', 'NAME'], rows) : 'No workspaces.\n',
      );
      if (page.nextCursor)
        ctx.stdout.write(`\nMore: tickets workspaces list --cursor ${page.nextCursor} …\n`);
    });

  workspaces
    .command('create')
    .description('create a workspace (superadmin)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--slug <slug>', 'short name in URLs and for sign-up (lower-case letters, digits, -)')
    .option('--allow-sign-up', 'let requesters create their own accounts')
    .action(async (options: { name: string; slug: string; allowSignUp?: boolean }, command: Command) => {
      const { client } = await connect(ctx);
      const workspace = await client.workspaces.create.mutate({
        name: options.name,
        slug: options.slug,
        allowSignUp: options.allowSignUp ?? false,
      });
      if (wantsJson(command)) printJson(ctx.stdout, workspace);
      else ctx.stdout.write(`Created workspace ${workspace.slug} (id ${workspace.id}).\n`);
    });
}
