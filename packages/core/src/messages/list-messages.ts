import type { Actor } from '../policy/actor';
import { can } from '../policy/permissions';
import { decodeTimestampCursor, type Page, toPage } from '../shared/pagination';
import type { Executor } from '../shared/transaction';
import { findVisibleTicket } from '../tickets/find-visible-ticket';
import { toMessage } from './message-dto';
import type { ListMessagesInput, Message } from './schemas';

/**
 * The thread of a ticket the actor sees, oldest first, authors joined in (two statements whatever the
 * page size). Requesters never receive internal notes.
 */
export async function listMessages(
  executor: Executor,
  actor: Actor,
  input: ListMessagesInput,
): Promise<Page<Message>> {
  const ticket = await findVisibleTicket(executor, actor, input.ticketId);
  let query = executor
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.authorId')
    .select([
      'messages.id',
      'messages.ticketId',
      'messages.authorId',
      'messages.body',
      'messages.internal',
      'messages.createdAt',
      'users.name as authorName',
      'users.role as authorRole',
    ])
    .where('messages.ticketId', '=', ticket.id)
    .orderBy('messages.createdAt', 'asc')
    .orderBy('messages.id', 'asc')
    .limit(input.limit + 1);
  if (!can(actor, 'ticket:read-internal', ticket)) query = query.where('messages.internal', '=', false);
  if (input.cursor) {
    const [after, id] = decodeTimestampCursor(input.cursor);
    query = query.where((eb) =>
      eb(eb.refTuple('messages.createdAt', 'messages.id'), '>', eb.tuple(after, id)),
    );
  }
  const rows = await query.execute();
  return toPage(rows, input.limit, (row) => [row.createdAt.toISOString(), row.id], toMessage);
}
