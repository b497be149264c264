import { createTicketInput, createTicket as createTicketService, ticketSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const createTicket = authedProcedure
  .meta({
    summary: 'Opens a ticket (a superadmin names the workspace).',
    errors: ['WORKSPACE_REQUIRED', 'WORKSPACE_NOT_FOUND', 'INVALID_REQUESTER', 'IDEMPOTENCY_KEY_REUSED'],
  })
  .input(createTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => createTicketService(ctx.services.db, ctx.actor, input));
