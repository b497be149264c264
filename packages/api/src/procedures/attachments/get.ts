import { attachmentSchema, getAttachmentInput, getAttachment as getAttachmentService } from '@tickets/core';
import { authedProcedure } from '../base';

export const getAttachment = authedProcedure
  .meta({
    summary: "One attachment's metadata; the bytes come from GET /api/attachments/{id}.",
    errors: ['ATTACHMENT_NOT_FOUND'],
  })
  .input(getAttachmentInput)
  .output(attachmentSchema)
  .query(({ ctx, input }) => getAttachmentService(ctx.services.db, ctx.actor, input));
