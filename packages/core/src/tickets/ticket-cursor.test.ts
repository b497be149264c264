import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { encodeCursor } from '../shared/pagination';
import { type TicketSort, ticketSorts } from './schemas';
import { decodeTicketCursor, encodeTicketCursor, type TicketCursorRow } from './ticket-cursor';

const row = (overrides: Partial<TicketCursorRow> = {}): TicketCursorRow => ({
  id: randomUUID(),
  createdAt: new Date('2026-03-04T05:06:07.089Z'),
  updatedAt: new Date('2026-03-05T10:11:12.131Z'),
  priorityRank: 2,
  slaNextDueAt: new Date('2026-03-06T00:00:00.000Z'),
  ...overrides,
});

/** A well-formed envelope around any key, as a client could forge it. */
const forged = (key: string | number, id: string = randomUUID()) => encodeCursor([key, id]);

const theInvalidCursorError = {
  code: 'INVALID_CURSOR',
  kind: 'BAD_REQUEST',
  message: 'The cursor is not one this list produced.',
  details: { field: 'cursor' },
} satisfies Partial<AppError>;

function refusal(sort: TicketSort, cursor: string): unknown {
  try {
    decodeTicketCursor(sort, cursor);
  } catch (error) {
    return error;
  }
  throw new Error(`the ${sort} order accepted a cursor it should refuse`);
}

describe('ticket cursors: a row encoded by an order decodes to its sort columns in that order', () => {
  it("given a row, when the 'created' order encodes it, then its creation time and id come back", () => {
    const last = row();
    expect(decodeTicketCursor('created', encodeTicketCursor('created', last))).toEqual({
      at: last.createdAt,
      id: last.id,
    });
  });

  it("given a row, when the 'updated' order encodes it, then its update time and id come back", () => {
    const last = row();
    expect(decodeTicketCursor('updated', encodeTicketCursor('updated', last))).toEqual({
      at: last.updatedAt,
      id: last.id,
    });
  });

  it.each([0, 1, 2, 3])(
    "given a row of priority rank %i, when the 'priority' order encodes it, then its rank, creation time and id come back",
    (priorityRank) => {
      const last = row({ priorityRank });
      expect(decodeTicketCursor('priority', encodeTicketCursor('priority', last))).toEqual({
        rank: priorityRank,
        at: last.createdAt,
        id: last.id,
      });
    },
  );

  it("given a row with a running target, when the 'sla' order encodes it, then its next due time and id come back", () => {
    const last = row();
    expect(decodeTicketCursor('sla', encodeTicketCursor('sla', last))).toEqual({
      at: last.slaNextDueAt,
      id: last.id,
    });
  });

  it("given a row with no running target, when the 'sla' order encodes it, then 'none' comes back (after every time)", () => {
    const last = row({ slaNextDueAt: null });
    expect(decodeTicketCursor('sla', encodeTicketCursor('sla', last))).toEqual({ at: 'none', id: last.id });
  });

  it('given the earliest and latest instants a row can hold, then they round-trip in every order', () => {
    for (const at of [new Date('0001-01-01T00:00:00.000Z'), new Date('9999-12-31T23:59:59.999Z')]) {
      const last = row({ createdAt: at, updatedAt: at, slaNextDueAt: at });
      for (const sort of ticketSorts) {
        expect(decodeTicketCursor(sort, encodeTicketCursor(sort, last))).toMatchObject({ at, id: last.id });
      }
    }
  });

  it('given a cursor handed out before this module, then it still decodes (the key format is unchanged)', () => {
    const id = randomUUID();
    expect(decodeTicketCursor('created', forged('c:2026-03-04T05:06:07.089Z', id))).toEqual({
      at: new Date('2026-03-04T05:06:07.089Z'),
      id,
    });
    expect(decodeTicketCursor('priority', forged('p:3:2026-03-04T05:06:07.089Z', id))).toEqual({
      rank: 3,
      at: new Date('2026-03-04T05:06:07.089Z'),
      id,
    });
    expect(decodeTicketCursor('sla', forged('s:none', id))).toEqual({ at: 'none', id });
  });
});

describe('ticket cursors: anything an order did not produce is INVALID_CURSOR', () => {
  it.each(
    ticketSorts.flatMap((made) => ticketSorts.filter((used) => used !== made).map((used) => [made, used])),
  )('given a cursor of the %s order, when the %s order reads it, then INVALID_CURSOR', (made, used) => {
    const cursor = encodeTicketCursor(made, row());
    expect(refusal(used, cursor)).toMatchObject(theInvalidCursorError);
  });

  it.each<[string, TicketSort, string]>([
    ['not base64 JSON', 'created', '!!!'],
    ['an empty envelope', 'created', Buffer.from('[]').toString('base64url')],
    ['an untagged time', 'created', forged('2026-03-04T05:06:07.089Z')],
    ['a number for a key', 'priority', forged(3)],
    ["'none' outside the sla order", 'created', forged('c:none')],
    ["'none' in the priority order", 'priority', forged('p:1:none')],
    ['a rank outside 0..3', 'priority', forged('p:4:2026-03-04T05:06:07.089Z')],
    ['a rank that is no number', 'priority', forged('p:x:2026-03-04T05:06:07.089Z')],
    ['a time not in the exact ISO form', 'updated', forged('u:2026-03-04')],
    ['a time no row can hold', 'sla', forged('s:+275760-09-13T00:00:00.000Z')],
    ['a time before year 1', 'created', forged('c:-000001-01-01T00:00:00.000Z')],
    ['not a time at all', 'sla', forged('s:soon')],
    ['an id that is no uuid', 'created', forged('c:2026-03-04T05:06:07.089Z', 'ticket-1')],
    ['a NUL in the key', 'created', forged('c:2026\u0000')],
  ])('given %s, when the %s order reads it, then INVALID_CURSOR', (_what, sort, cursor) => {
    expect(refusal(sort, cursor)).toMatchObject(theInvalidCursorError);
    expect(refusal(sort, cursor)).toBeInstanceOf(AppError);
  });
});
