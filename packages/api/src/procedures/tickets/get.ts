import { getTicket, getTicketInput, ticketSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const getTicketProcedure = procedureFor('ticket:read')
  .meta({ summary: 'One ticket the caller can see.', errors: ['TICKET_NOT_FOUND'] })
  .input(getTicketInput)
  .output(ticketSchema)
  .query(({ ctx, input }) => getTicket(ctx.services.db, ctx.actor, input));
