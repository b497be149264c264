import { sql } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../shared/transaction';

/** The PostgreSQL channel that tells every server instance a session (or all of a user's) ended. */
export const SESSIONS_ENDED_CHANNEL = 'sessions_ended';

/** What ended: one session (sign-out), or every session of a user (role, password, deactivation). */
export type SessionsEnded = { sessionId: string } | { userId: string };

const sessionsEndedSchema = z.union([
  z.object({ sessionId: z.string().min(1).max(64) }).strict(),
  z.object({ userId: z.uuid() }).strict(),
]);

/** null for anything this code did not write (another tool sharing the channel name). */
export function decodeSessionsEnded(text: string | undefined): SessionsEnded | null {
  if (!text) return null;
  try {
    const parsed = sessionsEndedSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Deletes the sessions and, in the same statement, queues the NOTIFY that every instance hears once
 * the deletion commits (nothing is sent when it rolls back, or when nothing was deleted), so their
 * session caches and live streams let go of them.
 */
export async function deleteSessions(executor: Executor, ended: SessionsEnded): Promise<void> {
  const deleted =
    'sessionId' in ended
      ? sql`delete from sessions where id = ${ended.sessionId} returning id`
      : sql`delete from sessions where user_id = ${ended.userId} returning id`;
  await sql`with deleted as (${deleted})
    select pg_notify(${SESSIONS_ENDED_CHANNEL}, ${JSON.stringify(ended)})
    where exists (select 1 from deleted)`.execute(executor);
}
