import { sql } from 'kysely';
import { z } from 'zod';

/** The Postgres channel that carries "new notifications committed" to every server instance. */
export const NOTIFY_CHANNEL = 'notifications';

// Postgres refuses NOTIFY payloads of 8000 bytes or more; an id takes 39 bytes in the list, so 150 ids
// stay well below it.
const MAX_LISTED_IDS = 150;

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

/**
 * The payload as SQL, an aggregate over `written` (a relation with `id` and `seq` columns, e.g. the
 * CTE of the rows just inserted), so the NOTIFY goes out in the statement that wrote the rows.
 */
export const notifyPayloadSql = sql<string>`case when count(*) <= ${MAX_LISTED_IDS}
    then json_build_object('ids', json_agg(written.id order by written.seq))::text
    else json_build_object('seqRange', json_build_array(min(written.seq), max(written.seq)))::text end`;

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
