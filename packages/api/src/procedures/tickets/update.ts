import { ticketSchema, updateTicketInput, updateTicket as updateTicketService } from '@tickets/core';
import { authedProcedure } from '../base';

export const updateTicket = authedProcedure
  .input(updateTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => updateTicketService(ctx.services.db, ctx.actor, input));
