import { getTicketInput, getTicket as getTicketService, ticketSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const getTicket = authedProcedure
  .meta({ summary: 'One ticket the caller can see.', errors: ['TICKET_NOT_FOUND'] })
  .input(getTicketInput)
  .output(ticketSchema)
  .query(({ ctx, input }) => getTicketService(ctx.services.db, ctx.actor, input));
