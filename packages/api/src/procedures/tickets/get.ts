import { getTicketInput, getTicket as getTicketService, ticketSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const getTicket = authedProcedure
  .input(getTicketInput)
  .output(ticketSchema)
  .query(({ ctx, input }) => getTicketService(ctx.services.db, ctx.actor, input));
