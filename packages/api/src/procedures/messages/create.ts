import { createMessageInput, createMessage as createMessageService, messageSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const createMessage = authedProcedure
  .meta({
    summary: 'Adds a public reply, or (staff) an internal note, to a ticket.',
    errors: ['TICKET_NOT_FOUND', 'TICKET_CLOSED', 'FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED'],
  })
  .input(createMessageInput)
  .output(messageSchema)
  .mutation(({ ctx, input }) => createMessageService(ctx.services.db, ctx.actor, input));
