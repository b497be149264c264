import { createMessage, createMessageInput, messageSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const createMessageProcedure = procedureFor('ticket:reply')
  .meta({
    summary: 'Adds a public reply, or (staff) an internal note, to a ticket.',
    errors: ['TICKET_NOT_FOUND', 'TICKET_CLOSED', 'FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED'],
  })
  .input(createMessageInput)
  .output(messageSchema)
  .mutation(({ ctx, input }) => createMessage(ctx.services.db, ctx.actor, input));
