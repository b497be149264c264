import type { MessageRow } from '@tickets/db';
import type { Role } from '../policy/actor';
import type { Message } from './schemas';

/** A message row joined with the columns of its author that the contract shows. */
export type MessageWithAuthorRow = Pick<
  MessageRow,
  'id' | 'ticketId' | 'authorId' | 'body' | 'internal' | 'createdAt'
> & {
  authorName: string;
  authorRole: string;
};

/** Row → contract. The users CHECK constraint guarantees the role. */
export function toMessage(row: MessageWithAuthorRow): Message {
  return {
    id: row.id,
    ticketId: row.ticketId,
    authorId: row.authorId,
    author: { id: row.authorId, name: row.authorName, role: row.authorRole as Role },
    body: row.body,
    internal: row.internal,
    createdAt: row.createdAt,
  };
}
