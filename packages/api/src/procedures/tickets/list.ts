import { listTicketsInput, listTickets as listTicketsService, ticketPageSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const listTickets = authedProcedure
  .meta({
    summary: 'Lists the tickets the caller can see, filtered and sorted; requesters see their own.',
    errors: ['INVALID_CURSOR', 'WORKSPACE_NOT_FOUND'],
  })
  .input(listTicketsInput)
  .output(ticketPageSchema)
  .query(({ ctx, input }) => listTicketsService(ctx.services.db, ctx.actor, input));
