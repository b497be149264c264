import type { TicketRow } from '@tickets/db';
import {
  decodeCursor,
  encodeCursor,
  invalidCursor,
  type KeysetPosition,
  parseCursorInstant,
} from '../shared/pagination';
import type { TicketSort } from './schemas';

// The ticket list's keyset cursors, every order's, encoded and decoded here only. A cursor carries every
// sort key of the last row seen, tagged with its order, so a cursor from one order is refused by
// another instead of silently skipping rows. The shared [key, id] cursor shape is kept (pagination.ts
// checks it, and cursors already handed out stay valid): the key is `c:<createdAt>`, `u:<updatedAt>`,
// `p:<priority rank>:<createdAt>` or `s:<next due time | none>`.

/** The columns of a row that place it in every order of the list. */
export type TicketCursorRow = Pick<
  TicketRow,
  'id' | 'createdAt' | 'updatedAt' | 'priorityRank' | 'slaNextDueAt'
>;

/** The last row seen by the 'created' or 'updated' order: that time, then the id. */
export interface TicketTimeCursor {
  at: Date;
  id: string;
}
/** The last row seen by the 'priority' order: its rank (low 0 … critical 3), its creation, its id. */
export interface TicketPriorityCursor {
  rank: number;
  at: Date;
  id: string;
}
/** The last row seen by the 'sla' order: its next due time, 'none' (sorted as infinity) when none runs. */
export interface TicketSlaCursor {
  at: Date | 'none';
  id: string;
}
export type TicketCursor = TicketTimeCursor | TicketPriorityCursor | TicketSlaCursor;

/** The cursor's key: every sort column of the row but the id, tagged with the order. */
function keyOf(sort: TicketSort, row: TicketCursorRow): string {
  switch (sort) {
    case 'created':
      return `c:${row.createdAt.toISOString()}`;
    case 'updated':
      return `u:${row.updatedAt.toISOString()}`;
    case 'priority':
      return `p:${row.priorityRank}:${row.createdAt.toISOString()}`;
    case 'sla':
      return `s:${row.slaNextDueAt?.toISOString() ?? 'none'}`;
  }
}

const keyPatterns: Record<TicketSort, RegExp> = {
  created: /^c:(?<at>.+)$/,
  updated: /^u:(?<at>.+)$/,
  priority: /^p:(?<rank>[0-3]):(?<at>.+)$/,
  sla: /^s:(?<at>.+)$/,
};

/** The row's keyset position in the order `sort`: what `toPage` turns into the next page's cursor. */
export function ticketPosition(sort: TicketSort, row: TicketCursorRow): KeysetPosition {
  return [keyOf(sort, row), row.id];
}

/** The cursor that continues the order `sort` after `row`. */
export function encodeTicketCursor(sort: TicketSort, row: TicketCursorRow): string {
  return encodeCursor(ticketPosition(sort, row));
}

/**
 * Where the last row seen stood, from a cursor the same order made. Anything else (forged, malformed,
 * another order's, a time no row can hold) is INVALID_CURSOR, before any SQL.
 */
export function decodeTicketCursor(sort: 'created' | 'updated', cursor: string): TicketTimeCursor;
export function decodeTicketCursor(sort: 'priority', cursor: string): TicketPriorityCursor;
export function decodeTicketCursor(sort: 'sla', cursor: string): TicketSlaCursor;
export function decodeTicketCursor(sort: TicketSort, cursor: string): TicketCursor;
export function decodeTicketCursor(sort: TicketSort, cursor: string): TicketCursor {
  const [key, id] = decodeCursor(cursor);
  const groups = typeof key === 'string' ? keyPatterns[sort].exec(key)?.groups : undefined;
  if (!groups) throw invalidCursor();
  if (sort === 'sla' && groups.at === 'none') return { at: 'none', id };
  const at = parseCursorInstant(groups.at);
  if (!at) throw invalidCursor();
  return sort === 'priority' ? { rank: Number(groups.rank), at, id } : { at, id };
}
