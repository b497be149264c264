import { z } from 'zod';
import { AppError } from '../errors';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** The paging part of every list input. Cursors are opaque to clients. */
export const pageInput = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  // tRPC's TanStack Query integration (the SDK's React entry) sends the page direction with every
  // infinite-list call. Keyset lists only go forward: that one value is accepted, and ignored.
  direction: z.literal('forward').optional(),
});
export type PageInput = z.infer<typeof pageInput>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset position: the sort key of the last row seen, then its id as the tie-breaker. */
export type KeysetPosition = readonly [key: string | number, id: string];

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

// A cursor is client input once it leaves us: its key reaches SQL, so it is held to what toPage can
// have produced (no NUL, which PostgreSQL text refuses; integers a bigint column can compare).
const positionSchema = z.tuple([
  z.union([
    z
      .string()
      .max(64)
      .refine((key) => !key.includes('\u0000')),
    z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ]),
  z.uuid(),
]);

/** The one answer to a cursor a list did not produce, whatever is wrong with it. */
export const invalidCursor = () =>
  new AppError('INVALID_CURSOR', 'The cursor is not one this list produced.', { field: 'cursor' });

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    return positionSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidCursor();
  }
}

// PostgreSQL stores timestamps from 4713 BC to 294276 AD; JavaScript dates reach further. A forged cursor
// outside what a row can hold would fail the statement ("timestamp out of range"): every instant read
// from a cursor is held to years 1..9999, which every stored row is in, and to the exact ISO form toPage
// wrote, so nothing a client invents reaches SQL.
const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** The instant an ISO timestamp written by a cursor names, or null when it is not one a row can hold. */
export function parseCursorInstant(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const at = new Date(text);
  const time = at.getTime();
  if (Number.isNaN(time) || time < EARLIEST_INSTANT || time > LATEST_INSTANT) return null;
  return at.toISOString() === text ? at : null;
}

/** The position in a list walked by (createdAt, id): the cursor's key read back as the Date it was. */
export function decodeTimestampCursor(cursor: string): readonly [at: Date, id: string] {
  const [key, id] = decodeCursor(cursor);
  const at = parseCursorInstant(key);
  if (!at) throw invalidCursor();
  return [at, id];
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that another page exists.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => KeysetPosition,
  toItem: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(toItem),
    nextCursor: hasMore && last ? encodeCursor(positionOf(last)) : null,
  };
}
