import type { Command } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { requireId } from '../errors';
import { printJson, wantsJson } from '../format';

export function registerClose(program: Command, ctx: CliContext): void {
  program
    .command('close')
    .description('close a ticket')
    .argument('<id>', 'ticket id')
    .option('--reason <text>', 'why; kept in the audit log, not sent with the notifications')
    .action(async (rawId: string, options: { reason?: string }, command: Command) => {
      const id = requireId(rawId);
      const { client } = await connect(ctx);
      const ticket = await client.tickets.close.mutate({ id, reason: options.reason });
      if (wantsJson(command)) printJson(ctx.stdout, ticket);
      else ctx.stdout.write(`Ticket ${id} closed.\n`);
    });
}
