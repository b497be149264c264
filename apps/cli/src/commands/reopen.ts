import { type Command, Option } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { requireId } from '../errors';
import { printJson, wantsJson } from '../format';

export function registerReopen(program: Command, ctx: CliContext): void {
  program
    .command('reopen')
    .description('reopen a closed ticket (its requester, or staff)')
    .argument('<id>', 'ticket id')
    .addOption(
      new Option('--status <status>', 'the status it reopens in (staff)').choices(['open', 'in_progress']),
    )
    .option('--reason <text>', 'why; kept in the audit log, not sent with the notifications')
    .action(
      async (
        rawId: string,
        options: { status?: 'open' | 'in_progress'; reason?: string },
        command: Command,
      ) => {
        const id = requireId(rawId);
        const { client } = await connect(ctx);
        const ticket = await client.tickets.reopen.mutate({
          id,
          status: options.status,
          reason: options.reason,
        });
        if (wantsJson(command)) printJson(ctx.stdout, ticket);
        else ctx.stdout.write(`Ticket ${id} reopened (${ticket.status}).\n`);
      },
    );
}
