import { reopenTicketInput, reopenTicket as reopenTicketService, ticketSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const reopenTicket = authedProcedure
  .input(reopenTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => reopenTicketService(ctx.services.db, ctx.actor, input));
