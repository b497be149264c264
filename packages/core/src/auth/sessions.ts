import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { sql } from 'kysely';
import type { Actor, Role } from '../policy/actor';
import {
  countHitSql,
  type RateLimitDecision,
  type RateLimitRule,
  rateLimitDecision,
} from '../rate-limit/rate-limiter';
import type { Executor } from '../shared/transaction';
import { deleteSessions } from './sessions-ended';

// Sessions as Lucia's current guide teaches them: the token is `<id>.<secret>`; only SHA-256(secret)
// is stored, so a leaked sessions table cannot be replayed; the check is constant-time.

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** A session used within this much of its expiry is extended by a full lifetime (sliding expiry). */
const SESSION_RENEW_WITHIN_MS = 15 * 24 * 60 * 60 * 1000;

export interface SessionInfo {
  id: string;
  expiresAt: Date;
  /** True when this check extended the session: the transport re-sends the cookie. */
  renewed: boolean;
}

export interface ValidatedSession {
  session: SessionInfo;
  actor: Actor;
  /** The user's per-user budget after this call, when the check counted it (`countUserHit`). */
  userHit?: RateLimitDecision;
}

export function randomSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export async function createSession(
  executor: Executor,
  userId: string,
  now = new Date(),
): Promise<{ token: string; session: SessionInfo }> {
  const id = randomSecret();
  const secret = randomSecret();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await executor
    .insertInto('sessions')
    .values({ id, secretHash: hashSecret(secret), userId, expiresAt })
    .execute();
  return { token: `${id}.${secret}`, session: { id, expiresAt, renewed: false } };
}

/**
 * The actor behind a token, or null for anything not a live session of an active user.
 *
 * With `countUserHit`, the same statement also counts this call against the user's per-user budget in
 * PostgreSQL's rate_limits (and `userHit` holds the decision): one round trip per call instead of two.
 * Only a call presenting the right secret of a live session is counted, so knowing a session id does
 * not let anyone spend its user's budget; the constant-time check below stays the one that decides.
 */
export async function validateSessionToken(
  executor: Executor,
  token: string,
  { now = new Date(), countUserHit }: { now?: Date; countUserHit?: RateLimitRule } = {},
): Promise<ValidatedSession | null> {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return null;
  const secretHash = hashSecret(secret);
  const lookup = executor
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .select([
      'sessions.id',
      'sessions.secretHash',
      'sessions.expiresAt',
      'users.id as userId',
      'users.role',
      'users.workspaceId',
      'users.isActive',
    ])
    .where('sessions.id', '=', id);
  let row:
    | (Awaited<ReturnType<typeof lookup.executeTakeFirst>> & { hits?: number; remaining?: number })
    | undefined;
  if (countUserHit) {
    const liveUser = sql`select 'user:' || session.user_id as key from session
      where session.secret_hash = ${secretHash} and session.is_active and session.expires_at > ${now}`;
    const { rows } = await sql<NonNullable<typeof row>>`
      with session as (${lookup}), hit as (${countHitSql(liveUser, countUserHit)})
      select session.*, hit.hits, hit.remaining from session left join hit on true`.execute(executor);
    row = rows[0];
  } else {
    row = await lookup.executeTakeFirst();
  }
  if (!row) return null;
  // Constant-time: the comparison must not tell an attacker how many bytes of the secret were right.
  if (!constantTimeEqual(secretHash, new Uint8Array(row.secretHash))) return null;
  if (row.expiresAt.getTime() <= now.getTime() || !row.isActive) {
    await executor.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  let expiresAt = row.expiresAt;
  let renewed = false;
  if (expiresAt.getTime() - now.getTime() < SESSION_RENEW_WITHIN_MS) {
    expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    renewed = true;
    await executor.updateTable('sessions').set({ expiresAt }).where('id', '=', id).execute();
  }
  return {
    session: { id, expiresAt, renewed },
    actor: { id: row.userId, role: row.role as Role, workspaceId: row.workspaceId },
    ...(countUserHit && row.hits !== undefined && row.remaining !== undefined
      ? { userHit: rateLimitDecision(row.hits, countUserHit, row.remaining) }
      : {}),
  };
}

/** Ends one session (sign-out); every instance hears of it (deleteSessions). */
export async function invalidateSession(executor: Executor, sessionId: string): Promise<void> {
  await deleteSessions(executor, { sessionId });
}

/** Ends every session of a user: on deactivation, role change or password change. */
export async function invalidateUserSessions(executor: Executor, userId: string): Promise<void> {
  await deleteSessions(executor, { userId });
}
