import { escalateTicketInput, escalateTicket as escalateTicketService, ticketSchema } from '@tickets/core';
import { staffProcedure } from '../base';

export const escalateTicket = staffProcedure
  .meta({
    summary: "Marks a ticket escalated (raises its priority); notifies the workspace's admins.",
    errors: ['TICKET_NOT_FOUND', 'TICKET_CLOSED', 'INVALID_TRANSITION'],
  })
  .input(escalateTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => escalateTicketService(ctx.services.db, ctx.actor, input));
