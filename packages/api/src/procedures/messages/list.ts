import { listMessagesInput, listMessages as listMessagesService, messagePageSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const listMessages = authedProcedure
  .meta({
    summary: 'The messages of a ticket, oldest first (internal notes for staff only).',
    errors: ['TICKET_NOT_FOUND', 'INVALID_CURSOR'],
  })
  .input(listMessagesInput)
  .output(messagePageSchema)
  .query(({ ctx, input }) => listMessagesService(ctx.services.db, ctx.actor, input));
