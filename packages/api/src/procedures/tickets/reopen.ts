import { reopenTicketInput, reopenTicket as reopenTicketService, ticketSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const reopenTicket = authedProcedure
  .meta({
    summary: 'Reopens a closed ticket (its requester or staff).',
    errors: ['TICKET_NOT_FOUND', 'TICKET_NOT_CLOSED'],
  })
  .input(reopenTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => reopenTicketService(ctx.services.db, ctx.actor, input));
