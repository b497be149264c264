import { closeTicketInput, closeTicket as closeTicketService, ticketSchema } from '@tickets/core';
import { staffProcedure } from '../base';

export const closeTicket = staffProcedure
  .meta({
    summary: 'Closes a ticket, optionally with a resolution note.',
    errors: ['TICKET_NOT_FOUND', 'TICKET_ALREADY_CLOSED'],
  })
  .input(closeTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => closeTicketService(ctx.services.db, ctx.actor, input));
