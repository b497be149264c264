import { attachmentSchema, listAttachments, listAttachmentsInput } from '@tickets/core';
import { z } from 'zod';
import { procedureFor } from '../base';

export const listAttachmentsProcedure = procedureFor('ticket:read')
  .meta({
    summary: 'The attachments of a ticket the caller can see (internal-note attachments for staff only).',
    errors: ['TICKET_NOT_FOUND', 'INVALID_CURSOR'],
  })
  .input(listAttachmentsInput)
  .output(z.object({ items: z.array(attachmentSchema), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => listAttachments(ctx.services.db, ctx.actor, input));
