import { escalateTicket, escalateTicketInput, ticketSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const escalateTicketProcedure = procedureFor('ticket:escalate')
  .meta({
    summary: "Marks a ticket escalated (raises its priority); notifies the workspace's admins.",
    errors: ['TICKET_NOT_FOUND', 'TICKET_CLOSED', 'INVALID_TRANSITION'],
  })
  .input(escalateTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => escalateTicket(ctx.services.db, ctx.actor, input));
