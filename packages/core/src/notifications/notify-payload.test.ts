import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeNotifyPayload, encodeNotifyPayload } from './notify-payload';

const rows = (count: number, firstSeq = 1) =>
  Array.from({ length: count }, (_, i) => ({ id: randomUUID(), seq: firstSeq + i }));

describe('NOTIFY payload', () => {
  it('given a usual action, then it lists the ids, and decodes back to them', () => {
    const written = rows(3);
    const text = encodeNotifyPayload(written);
    expect(decodeNotifyPayload(text)).toEqual({ ids: written.map((row) => row.id) });
  });

  it('given too many recipients for Postgres’s 8000-byte limit, then it names their sequence range instead', () => {
    const text = encodeNotifyPayload(rows(500, 1_000));
    expect(Buffer.byteLength(text)).toBeLessThan(8_000);
    expect(decodeNotifyPayload(text)).toEqual({ seqRange: [1_000, 1_499] });
  });

  it('given a payload this code did not write, then it is ignored', () => {
    for (const text of [undefined, '', 'not json', '{"ids":["not-a-uuid"]}', '{"hello":1}']) {
      expect(decodeNotifyPayload(text)).toBeNull();
    }
  });
});
