import {
  attachmentSchema,
  listAttachmentsInput,
  listAttachments as listAttachmentsService,
} from '@tickets/core';
import { z } from 'zod';
import { authedProcedure } from '../base';

export const listAttachments = authedProcedure
  .input(listAttachmentsInput)
  .output(z.object({ items: z.array(attachmentSchema), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => listAttachmentsService(ctx.services.db, ctx.actor, input));
