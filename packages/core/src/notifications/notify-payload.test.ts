import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '@tickets/db/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNotifyPayload, notifyPayloadSql } from './notify-payload';

const database = await openTestDatabase();
afterAll(() => database.close());

/** The payload PostgreSQL builds for `count` rows written with sequence numbers from `firstSeq`. */
async function payloadFor(count: number, firstSeq = 1) {
  const written = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), seq: firstSeq + i }));
  const { rows } = await sql<{ payload: string }>`
    select ${notifyPayloadSql} as payload
    from unnest(${written.map((row) => row.id)}::uuid[], ${written.map((row) => row.seq)}::bigint[])
      as written(id, seq)`.execute(database.db);
  return { written, text: rows[0]!.payload };
}

describe('NOTIFY payload', () => {
  it('given a usual action, then it lists the ids, and decodes back to them', async () => {
    const { written, text } = await payloadFor(3);
    expect(decodeNotifyPayload(text)).toEqual({ ids: written.map((row) => row.id) });
  });

  it('given too many recipients for Postgres’s 8000-byte limit, then it names their sequence range instead', async () => {
    const listed = await payloadFor(150);
    expect(Buffer.byteLength(listed.text)).toBeLessThan(8_000);
    const { text } = await payloadFor(500, 1_000);
    expect(Buffer.byteLength(text)).toBeLessThan(8_000);
    expect(decodeNotifyPayload(text)).toEqual({ seqRange: [1_000, 1_499] });
  });

  it('given a payload this code did not write, then it is ignored', () => {
    for (const text of [undefined, '', 'not json', '{"ids":["not-a-uuid"]}', '{"hello":1}']) {
      expect(decodeNotifyPayload(text)).toBeNull();
    }
  });
});
