import { createTicket, createTicketInput, ticketSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const createTicketProcedure = procedureFor('ticket:create')
  .meta({
    summary: 'Opens a ticket (a superadmin names the workspace).',
    errors: ['WORKSPACE_REQUIRED', 'WORKSPACE_NOT_FOUND', 'INVALID_REQUESTER', 'IDEMPOTENCY_KEY_REUSED'],
  })
  .input(createTicketInput)
  .output(ticketSchema)
  .mutation(({ ctx, input }) => createTicket(ctx.services.db, ctx.actor, input));
