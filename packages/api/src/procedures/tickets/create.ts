import { createTicketInput, createTicket as createTicketService, ticketSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const createTicket = authedProcedure
  .input(createTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => createTicketService(ctx.services.db, ctx.actor, input));
