import type { MessageRow, UserRow } from '@tickets/db';
import type { Message } from './schemas';

/** A message row joined with the columns of its author that the contract shows. */
export type MessageWithAuthorRow = Pick<
  MessageRow,
  'id' | 'ticketId' | 'authorId' | 'body' | 'internal' | 'createdAt'
> & {
  authorName: string;
  authorRole: UserRow['role'];
};

/** Row → contract. The role is typed by its column (the users CHECK constraint's list). */
export function toMessage(row: MessageWithAuthorRow): Message {
  return {
    id: row.id,
    ticketId: row.ticketId,
    authorId: row.authorId,
    author: { id: row.authorId, name: row.authorName, role: row.authorRole },
    body: row.body,
    internal: row.internal,
    createdAt: row.createdAt,
  };
}
