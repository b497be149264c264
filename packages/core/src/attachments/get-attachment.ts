import type { Readable } from 'node:stream';
import type { Actor } from '../policy/actor';
import type { Executor } from '../shared/transaction';
import { toAttachment } from './attachment-dto';
import { findVisibleAttachment } from './find-visible-attachment';
import type { Attachment, GetAttachmentInput } from './schemas';
import type { Storage } from './storage';

/** One attachment's metadata, under the same visibility rule as its download. */
export async function getAttachment(
  executor: Executor,
  actor: Actor,
  input: GetAttachmentInput,
): Promise<Attachment> {
  return toAttachment(await findVisibleAttachment(executor, actor, input.id));
}

/**
 * An attachment's metadata and its bytes, for the download route. The stream is opened before this
 * resolves, so a storage failure surfaces before any response header is sent.
 */
export async function readAttachment(
  deps: { db: Executor; storage: Storage },
  actor: Actor,
  input: GetAttachmentInput,
): Promise<{ attachment: Attachment; content: Readable }> {
  const row = await findVisibleAttachment(deps.db, actor, input.id);
  return { attachment: toAttachment(row), content: await deps.storage.get(row.storageKey) };
}
