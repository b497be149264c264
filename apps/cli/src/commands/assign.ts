import type { Command } from 'commander';
import { connect, myId } from '../client';
import type { CliContext } from '../context';
import { requireId } from '../errors';
import { printJson, wantsJson } from '../format';

export function registerAssign(program: Command, ctx: CliContext): void {
  program
    .command('assign')
    .description('assign a ticket (staff)')
    .argument('<id>', 'ticket id')
    .argument('<who>', '"me", "none" to unassign, or a staff user id')
    .action(async (rawId: string, who: string, _options: unknown, command: Command) => {
      const id = requireId(rawId);
      const explicit = who === 'me' || who === 'none' ? null : requireId(who, 'user');
      const { client } = await connect(ctx);
      const assigneeId = who === 'me' ? await myId(client) : explicit;
      const ticket = await client.tickets.assign.mutate({ id, assigneeId });
      if (wantsJson(command)) printJson(ctx.stdout, ticket);
      else if (ticket.assignedTo === null) ctx.stdout.write(`Ticket ${id} is unassigned.\n`);
      else ctx.stdout.write(`Ticket ${id} assigned to ${who === 'me' ? 'you' : ticket.assignedTo}.\n`);
    });
}
