import type { Command } from 'commander';
import { connect, currentUser } from '../client';
import type { CliContext } from '../context';
import { formatFields, printJson, wantsJson } from '../format';

export function registerWhoami(program: Command, ctx: CliContext): void {
  program
    .command('whoami')
    .description('show the signed-in user and server')
    .action(async (_options: unknown, command: Command) => {
      const { client, session } = await connect(ctx);
      const user = await currentUser(client);
      if (wantsJson(command)) {
        printJson(ctx.stdout, { user, url: session.url });
        return;
      }
      ctx.stdout.write(
        formatFields([
          ['Name', user.name],
          ['E-mail', user.email],
          ['Role', user.role],
          ['Workspace', user.workspaceId ?? '(all: superadmin)'],
          ['User id', user.id],
          ['Server', session.url],
        ]),
      );
    });
}
