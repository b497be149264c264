import { assignTicketInput, assignTicket as assignTicketService, ticketSchema } from '@tickets/core';
import { staffProcedure } from '../base';

export const assignTicket = staffProcedure
  .meta({
    summary: 'Assigns a ticket to a staff member of its workspace, or unassigns it.',
    errors: ['TICKET_NOT_FOUND', 'INVALID_ASSIGNEE', 'TICKET_CLOSED'],
  })
  .input(assignTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => assignTicketService(ctx.services.db, ctx.actor, input));
