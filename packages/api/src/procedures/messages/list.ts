import { listMessages, listMessagesInput, messagePageSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const listMessagesProcedure = procedureFor('ticket:read')
  .meta({
    summary: 'The messages of a ticket, oldest first (internal notes for staff only).',
    errors: ['TICKET_NOT_FOUND', 'INVALID_CURSOR'],
  })
  .input(listMessagesInput)
  .output(messagePageSchema)
  .query(({ ctx, input }) => listMessages(ctx.services.db, ctx.actor, input));
