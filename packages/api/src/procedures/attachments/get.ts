import { attachmentSchema, getAttachmentInput, getAttachment as getAttachmentService } from '@tickets/core';
import { authedProcedure } from '../base';

export const getAttachment = authedProcedure
  .input(getAttachmentInput)
  .output(attachmentSchema)
  .query(({ ctx, input }) => getAttachmentService(ctx.services.db, ctx.actor, input));
