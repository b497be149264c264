import { createHash } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Actor } from '../policy/actor';
import type { RateLimitDecision } from '../rate-limit/rate-limiter';
import type { Executor } from '../shared/transaction';
import type { SessionCache } from './session-cache';
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
  /** The user's per-user budget after this call, when the caller counted it (authenticateCaller). */
  userHit?: RateLimitDecision;
}

export function randomSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): Uint8Array {
  // node:crypto's native SHA-256 (the same bytes as @oslojs's JavaScript one, at a fraction of the CPU:
  // it runs on every signed-in call, for the session cache's check).
  return createHash('sha256').update(secret, 'utf8').digest();
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
 * With a `cache`, a session checked within the cache's lifetime is not read again: the secret is
 * compared with the cached hash (constant-time, as always), and only a session near its renewal goes to
 * the database. Ended sessions leave the cache through `SessionCache.forget` (see sessions-ended.ts).
 */
export async function validateSessionToken(
  executor: Executor,
  token: string,
  { now = new Date(), cache }: { now?: Date; cache?: SessionCache } = {},
): Promise<ValidatedSession | null> {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return null;
  const secretHash = hashSecret(secret);
  const cached = cache?.get(id);
  if (cached && cached.expiresAt.getTime() - now.getTime() >= SESSION_RENEW_WITHIN_MS) {
    // Constant-time: the comparison must not tell an attacker how many bytes of the secret were right.
    if (!constantTimeEqual(secretHash, cached.secretHash)) return null;
    return { session: { id, expiresAt: cached.expiresAt, renewed: false }, actor: cached.actor };
  }
  const readStartedAt = performance.now();
  const row = await executor
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .select([
      'sessions.secretHash',
      'sessions.expiresAt',
      'users.id as userId',
      'users.role',
      'users.workspaceId',
      'users.isActive',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const storedHash = new Uint8Array(row.secretHash);
  if (!constantTimeEqual(secretHash, storedHash)) return null;
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
  const actor: Actor = { id: row.userId, role: row.role, workspaceId: row.workspaceId };
  cache?.set(id, { secretHash: storedHash, expiresAt, actor }, readStartedAt);
  return { session: { id, expiresAt, renewed }, actor };
}

/** Ends one session (sign-out); every instance hears of it (deleteSessions). */
export async function invalidateSession(executor: Executor, sessionId: string): Promise<void> {
  await deleteSessions(executor, { sessionId });
}

/** Ends every session of a user: on deactivation, role change or password change. */
export async function invalidateUserSessions(executor: Executor, userId: string): Promise<void> {
  await deleteSessions(executor, { userId });
}
