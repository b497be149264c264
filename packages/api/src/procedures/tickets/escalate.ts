import { escalateTicketInput, escalateTicket as escalateTicketService, ticketSchema } from '@tickets/core';
import { staffProcedure } from '../base';

export const escalateTicket = staffProcedure
  .input(escalateTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => escalateTicketService(ctx.services.db, ctx.actor, input));
