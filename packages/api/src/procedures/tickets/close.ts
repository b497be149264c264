import { closeTicket, closeTicketInput, ticketSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const closeTicketProcedure = procedureFor('ticket:close')
  .meta({
    summary: 'Closes a ticket, optionally with a resolution note.',
    errors: ['TICKET_NOT_FOUND', 'TICKET_ALREADY_CLOSED'],
  })
  .input(closeTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => closeTicket(ctx.services.db, ctx.actor, input));
