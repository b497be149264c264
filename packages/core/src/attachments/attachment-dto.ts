import type { AttachmentRow } from '@tickets/db';
import type { Attachment } from './schemas';

/** Row → contract: never the storage key or the workspace. */
export function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    ticketId: row.ticketId,
    messageId: row.messageId,
    uploadedBy: row.uploadedBy,
    filename: row.filename,
    contentType: row.contentType,
    size: row.size,
    sha256: row.sha256,
    internal: row.internal,
    createdAt: row.createdAt,
  };
}
