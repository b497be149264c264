import { createMessageInput, createMessage as createMessageService, messageSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const createMessage = authedProcedure
  .input(createMessageInput)
  .output(messageSchema)
  .mutation(({ ctx, input }) => createMessageService(ctx.services.db, ctx.actor, input));
