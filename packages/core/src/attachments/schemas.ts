import { z } from 'zod';
import { pageInput } from '../shared/pagination';

/** An attachment's metadata as every client sees it (the bytes travel over plain HTTP). */
export const attachmentSchema = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  messageId: z.uuid().nullable(),
  uploadedBy: z.uuid(),
  /** The sanitised original name: for display and the download's Content-Disposition only. */
  filename: z.string(),
  /** Detected from the bytes where possible. */
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  /** Hex SHA-256 of the stored bytes. */
  sha256: z.string(),
  internal: z.boolean(),
  createdAt: z.date(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** What an upload says about the file besides its bytes (the multipart form's fields). */
export const createAttachmentInput = z
  .object({
    ticketId: z.uuid(),
    messageId: z.uuid().optional(),
    internal: z.boolean().default(false),
  })
  .strict();
export type CreateAttachmentInput = z.infer<typeof createAttachmentInput>;

export const listAttachmentsInput = pageInput.extend({ ticketId: z.uuid() }).strict();
export type ListAttachmentsInput = z.infer<typeof listAttachmentsInput>;

export const getAttachmentInput = z.object({ id: z.uuid() }).strict();
export type GetAttachmentInput = z.infer<typeof getAttachmentInput>;
