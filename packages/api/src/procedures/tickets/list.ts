import { listTicketsInput, listTickets as listTicketsService, ticketPageSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const listTickets = authedProcedure
  .input(listTicketsInput)
  .output(ticketPageSchema)
  .query(({ ctx, input }) => listTicketsService(ctx.services.db, ctx.actor, input));
