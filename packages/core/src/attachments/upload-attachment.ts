import { createHash, randomUUID } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { withIdempotency } from '../idempotency/idempotency';
import { createNotifications } from '../notifications/create-notifications';
import type { Actor } from '../policy/actor';
import { assertCan, can } from '../policy/permissions';
import { type Executor, inTransaction } from '../shared/transaction';
import { findVisibleTicket } from '../tickets/find-visible-ticket';
import { toAttachment } from './attachment-dto';
import { detectContentType, SNIFF_BYTES } from './content-type';
import { sanitizeFilename } from './filename';
import type { Attachment, CreateAttachmentInput } from './schemas';
import type { Storage } from './storage';

/** 25 MiB: what a help desk's users expect to attach (screenshots, logs, PDFs), not backups. */
export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export interface AttachmentDeps {
  db: Executor;
  storage: Storage;
  /** Larger uploads are refused with PAYLOAD_TOO_LARGE and leave nothing behind. */
  maxUploadBytes: number;
}

export interface UploadedFile {
  /** The name the client sent, unsanitised. */
  filename: string | undefined;
  /** The content type the client declared; used only when the bytes do not tell. */
  declaredType: string | undefined;
  /** The bytes, read once. On failure it may be left partly read: the caller discards the rest. */
  content: Readable;
}

export const payloadTooLarge = (maxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes.`, {
    field: 'file',
    maxBytes,
  });

/**
 * Adds a file to a ticket: the requester on their own ticket (never internal), or staff.
 * Authorises before reading a byte, streams the bytes to storage under a random key while hashing
 * and counting them, then writes the row, its audit event and its notifications in one transaction.
 * Whatever fails (too large, storage, database), no row remains and the stored bytes are deleted.
 */
export async function uploadAttachment(
  deps: AttachmentDeps,
  actor: Actor,
  input: CreateAttachmentInput,
  file: UploadedFile,
  /** A retry with the same key answers the first upload and keeps no second copy of the bytes. */
  idempotencyKey?: string,
): Promise<Attachment> {
  await authoriseUpload(deps.db, actor, input);
  // Random, never derived from the file's name: names cannot collide, traverse or be guessed.
  const key = randomUUID();
  try {
    const stored = await storeContent(deps.storage, key, file.content, deps.maxUploadBytes);
    const contentType = await detectContentType(stored.head, file.declaredType);
    const filename = sanitizeFilename(file.filename);
    const request = {
      scope: 'attachments.upload',
      key: idempotencyKey,
      request: { ...input, filename, sha256: stored.sha256 },
    } as const;
    let created = false;
    const attachment = await inTransaction(deps.db, (tx) =>
      withIdempotency(tx, actor, request, async () => {
        created = true;
        // Again inside the transaction: the ticket may have been closed, reassigned or deleted while the
        // bytes streamed, and the notifications must go to its assignee as of now.
        const { ticket, internal } = await authoriseUpload(tx, actor, input);
        const row = await tx
          .insertInto('attachments')
          .values({
            workspaceId: ticket.workspaceId,
            ticketId: ticket.id,
            messageId: input.messageId ?? null,
            uploadedBy: actor.id,
            filename,
            contentType,
            size: stored.size,
            sha256: stored.sha256,
            internal,
            storageKey: key,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAuditEvent(tx, {
          workspaceId: ticket.workspaceId,
          ticketId: ticket.id,
          actorId: actor.id,
          action: 'attachment.created',
          internal,
          data: {
            attachmentId: row.id,
            messageId: row.messageId,
            filename,
            contentType,
            size: stored.size,
            internal,
          },
        });
        await createNotifications(tx, {
          workspaceId: ticket.workspaceId,
          type: 'attachment.created',
          ticketId: ticket.id,
          actorId: actor.id,
          recipientIds: [ticket.assignedTo, internal ? null : ticket.createdBy],
          internal,
          data: { attachmentId: row.id, filename, internal },
        });
        return toAttachment(row);
      }),
    );
    // A replay answers with the first upload's row: these bytes are a copy nothing refers to.
    if (!created) await deps.storage.delete(key).catch(() => {});
    return attachment;
  } catch (error) {
    await deps.storage.delete(key).catch(() => {});
    throw error;
  }
}

async function authoriseUpload(executor: Executor, actor: Actor, input: CreateAttachmentInput) {
  const ticket = await findVisibleTicket(executor, actor, input.ticketId);
  if (input.internal) assertCan(actor, 'attachment:upload-internal', ticket);
  if (ticket.status === 'closed' && !can(actor, 'ticket:change-closed', ticket)) {
    throw new AppError('TICKET_CLOSED', 'This ticket is closed: reopen it before adding files to it.');
  }
  let internal = input.internal;
  if (input.messageId !== undefined) {
    let query = executor
      .selectFrom('messages')
      .select('internal')
      .where('id', '=', input.messageId)
      .where('ticketId', '=', ticket.id);
    if (!can(actor, 'ticket:read-internal', ticket)) query = query.where('internal', '=', false);
    const message = await query.executeTakeFirst();
    if (!message) throw new AppError('MESSAGE_NOT_FOUND', 'Message not found.', { field: 'messageId' });
    // A file attached to an internal note is as internal as the note.
    internal ||= message.internal;
  }
  return { ticket, internal };
}

interface StoredContent {
  size: number;
  sha256: string;
  /** The first bytes, for content sniffing. */
  head: Buffer;
}

/** Streams `content` into storage, measuring it on the way; memory stays bounded whatever the size. */
async function storeContent(
  storage: Storage,
  key: string,
  content: Readable,
  maxBytes: number,
): Promise<StoredContent> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      // Counted here as well as by the transport: whatever feeds this stream, the limit holds.
      if (size > maxBytes) {
        callback(payloadTooLarge(maxBytes));
        return;
      }
      hash.update(chunk);
      if (headBytes < SNIFF_BYTES) {
        const part = chunk.subarray(0, SNIFF_BYTES - headBytes);
        head.push(part);
        headBytes += part.length;
      }
      callback(null, chunk);
    },
  });
  const [read, written] = await Promise.allSettled([
    pipeline(content, meter),
    storage.put(key, meter).catch((error: unknown) => {
      // A driver that fails without consuming its input would otherwise leave the pipeline waiting.
      meter.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }),
  ]);
  // The source's failure (too large, client gone) explains a storage failure, not the other way round.
  if (read.status === 'rejected') throw read.reason;
  if (written.status === 'rejected') throw written.reason;
  return { size, sha256: hash.digest('hex'), head: Buffer.concat(head) };
}
