import { z } from 'zod';
import { idempotencyKeySchema } from '../idempotency/schemas';
import { pageInput } from '../shared/pagination';
import { roleSchema } from '../users/schemas';

export const MAX_MESSAGE_BODY = 50_000;

// The body is stored exactly as sent (leading indentation may be a code block), so blankness is checked
// rather than trimmed away. Postgres text cannot hold NUL: refusing it here keeps it a 400, not a 500.
export const messageBodySchema = z
  .string()
  .min(1)
  .max(MAX_MESSAGE_BODY)
  .refine((body) => body.trim().length > 0, 'A message cannot be blank.')
  .refine((body) => !body.includes('\u0000'), 'A message cannot contain NUL characters.');

export const createMessageInput = z
  .object({
    ticketId: z.uuid(),
    body: messageBodySchema,
    /** Staff only: an internal note, never shown to the requester. */
    internal: z.boolean().default(false),
    /** A retry with the same key answers the first result and creates nothing. */
    idempotencyKey: idempotencyKeySchema.optional(),
  })
  .strict();
export type CreateMessageInput = z.infer<typeof createMessageInput>;

/** Oldest first, so a thread reads top to bottom. */
export const listMessagesInput = pageInput.extend({ ticketId: z.uuid() }).strict();
export type ListMessagesInput = z.infer<typeof listMessagesInput>;

/** Enough to render "who wrote this" without a second call; never the e-mail. */
export const messageAuthorSchema = z.object({ id: z.uuid(), name: z.string(), role: roleSchema });
export type MessageAuthor = z.infer<typeof messageAuthorSchema>;

export const messageSchema = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  authorId: z.uuid(),
  author: messageAuthorSchema,
  body: z.string(),
  internal: z.boolean(),
  createdAt: z.date(),
});
export type Message = z.infer<typeof messageSchema>;

export const messagePageSchema = z.object({
  items: z.array(messageSchema),
  nextCursor: z.string().nullable(),
});
