import { ticketSchema, updateTicket, updateTicketInput } from '@tickets/core';
import { procedureFor } from '../base';

export const updateTicketProcedure = procedureFor('ticket:update')
  .meta({
    summary:
      "Changes a ticket's fields; requesters may change only title and description of their own open tickets.",
    errors: [
      'TICKET_NOT_FOUND',
      'FIELD_NOT_ALLOWED',
      'TICKET_CLOSED',
      'INVALID_TRANSITION',
      'VERSION_CONFLICT',
    ],
  })
  .input(updateTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => updateTicket(ctx.services.db, ctx.actor, input));
