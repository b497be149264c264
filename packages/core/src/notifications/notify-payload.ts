import { z } from 'zod';

/** The Postgres channel that carries "new notifications committed" to every server instance. */
export const NOTIFY_CHANNEL = 'notifications';

// Postgres refuses NOTIFY payloads of 8000 bytes or more; ~190 ids fit below this bound.
const MAX_PAYLOAD_BYTES = 7_500;

/**
 * What one NOTIFY says: the new ids, or, for an action with too many recipients to list, the range of
 * their sequence numbers (rows of other transactions in that range are filtered out by the hub, which
 * never delivers one notification twice).
 */
export type NotifyPayload = { ids: string[] } | { seqRange: [from: number, to: number] };

const payloadSchema = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(1_000) }),
  z.object({ seqRange: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]) }),
]);

export function encodeNotifyPayload(rows: ReadonlyArray<{ id: string; seq: number }>): string {
  const byIds = JSON.stringify({ ids: rows.map((row) => row.id) });
  if (Buffer.byteLength(byIds) < MAX_PAYLOAD_BYTES) return byIds;
  const seqs = rows.map((row) => row.seq);
  return JSON.stringify({ seqRange: [Math.min(...seqs), Math.max(...seqs)] });
}

/** null for anything this code did not write (another tool sharing the channel name). */
export function decodeNotifyPayload(text: string | undefined): NotifyPayload | null {
  if (!text) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
