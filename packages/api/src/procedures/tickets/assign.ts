import { assignTicket, assignTicketInput, ticketSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const assignTicketProcedure = procedureFor('ticket:assign')
  .meta({
    summary: 'Assigns a ticket to a staff member of its workspace, or unassigns it.',
    errors: ['TICKET_NOT_FOUND', 'INVALID_ASSIGNEE', 'TICKET_CLOSED'],
  })
  .input(assignTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => assignTicket(ctx.services.db, ctx.actor, input));
