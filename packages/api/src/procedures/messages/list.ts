import { listMessagesInput, listMessages as listMessagesService, messagePageSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const listMessages = authedProcedure
  .input(listMessagesInput)
  .output(messagePageSchema)
  .query(({ ctx, input }) => listMessagesService(ctx.services.db, ctx.actor, input));
