import { listTickets, listTicketsInput, ticketPageSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const listTicketsProcedure = procedureFor('ticket:list')
  .meta({
    summary: 'Lists the tickets the caller can see, filtered and sorted; requesters see their own.',
    errors: ['INVALID_CURSOR', 'WORKSPACE_NOT_FOUND'],
  })
  .input(listTicketsInput)
  .output(ticketPageSchema)
  .query(({ ctx, input }) => listTickets(ctx.services.db, ctx.actor, input));
