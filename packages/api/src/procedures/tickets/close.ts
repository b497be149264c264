import { closeTicketInput, closeTicket as closeTicketService, ticketSchema } from '@tickets/core';
import { staffProcedure } from '../base';

export const closeTicket = staffProcedure
  .input(closeTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => closeTicketService(ctx.services.db, ctx.actor, input));
