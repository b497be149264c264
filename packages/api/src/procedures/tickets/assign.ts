import { assignTicketInput, assignTicket as assignTicketService, ticketSchema } from '@tickets/core';
import { staffProcedure } from '../base';

export const assignTicket = staffProcedure
  .input(assignTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => assignTicketService(ctx.services.db, ctx.actor, input));
