import { reopenTicket, reopenTicketInput, ticketSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const reopenTicketProcedure = procedureFor('ticket:reopen')
  .meta({
    summary: 'Reopens a closed ticket (its requester or staff).',
    errors: ['TICKET_NOT_FOUND', 'TICKET_NOT_CLOSED'],
  })
  .input(reopenTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => reopenTicket(ctx.services.db, ctx.actor, input));
