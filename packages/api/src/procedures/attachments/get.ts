import { attachmentSchema, getAttachment, getAttachmentInput } from '@tickets/core';
import { procedureFor } from '../base';

export const getAttachmentProcedure = procedureFor('attachment:read')
  .meta({
    summary: "One attachment's metadata; the bytes come from GET /api/attachments/{id}.",
    errors: ['ATTACHMENT_NOT_FOUND'],
  })
  .input(getAttachmentInput)
  .output(attachmentSchema)
  .query(({ ctx, input }) => getAttachment(ctx.services.db, ctx.actor, input));
