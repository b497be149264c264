import {
  attachmentSchema,
  listAttachmentsInput,
  listAttachments as listAttachmentsService,
} from '@tickets/core';
import { z } from 'zod';
import { authedProcedure } from '../base';

export const listAttachments = authedProcedure
  .meta({
    summary: 'The attachments of a ticket the caller can see (internal-note attachments for staff only).',
    errors: ['TICKET_NOT_FOUND', 'INVALID_CURSOR'],
  })
  .input(listAttachmentsInput)
  .output(z.object({ items: z.array(attachmentSchema), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => listAttachmentsService(ctx.services.db, ctx.actor, input));
