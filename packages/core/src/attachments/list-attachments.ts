import type { Actor } from '../policy/actor';
import { can } from '../policy/permissions';
import { decodeTimestampCursor, type Page, toPage } from '../shared/pagination';
import type { Executor } from '../shared/transaction';
import { findVisibleTicket } from '../tickets/find-visible-ticket';
import { toAttachment } from './attachment-dto';
import type { Attachment, ListAttachmentsInput } from './schemas';

/** A ticket's attachments, oldest first (the order of the conversation). Requesters never see internal ones. */
export async function listAttachments(
  executor: Executor,
  actor: Actor,
  input: ListAttachmentsInput,
): Promise<Page<Attachment>> {
  const ticket = await findVisibleTicket(executor, actor, input.ticketId);
  let query = executor
    .selectFrom('attachments')
    .selectAll()
    .where('ticketId', '=', ticket.id)
    .orderBy('createdAt', 'asc')
    .orderBy('id', 'asc')
    .limit(input.limit + 1);
  if (!can(actor, 'ticket:read-internal', ticket)) query = query.where('internal', '=', false);
  if (input.cursor) {
    const [after, id] = decodeTimestampCursor(input.cursor);
    query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '>', eb.tuple(after, id)));
  }
  const rows = await query.execute();
  return toPage(rows, input.limit, (row) => [row.createdAt.toISOString(), row.id], toAttachment);
}
