import { ticketSchema, updateTicketInput, updateTicket as updateTicketService } from '@tickets/core';
import { authedProcedure } from '../base';

export const updateTicket = authedProcedure
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
  .mutation(({ ctx, input }) => updateTicketService(ctx.services.db, ctx.actor, input));
