import { createHash } from 'node:crypto';
import type { DB } from '@tickets/db';
import { type Kysely, sql } from 'kysely';
import { AppError } from '../errors';
import type { Actor } from '../policy/actor';
import type { Executor } from '../shared/transaction';
import type { IdempotencyScope } from './schemas';

/** How long a key is remembered. A client retries within minutes; a day covers a client offline overnight. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

export interface IdempotentRequest {
  scope: IdempotencyScope;
  /** No key: the creation simply runs. */
  key: string | undefined;
  /** What the caller asked for; a top-level `idempotencyKey` field is left out of the comparison. */
  request: unknown;
}

/**
 * Runs `create` at most once per (user, key). Must run inside the creation's transaction (`tx`): the key
 * is claimed first, and its answer stored last, in that same transaction, so a failure or a crash rolls
 * the key back with the creation and a retry simply runs again.
 *
 * Two requests with one key at once: the first claims the key (an INSERT on its primary key); the second's
 * INSERT waits on that key until the first transaction ends. If it committed, the second answers the
 * stored result; if it rolled back, the second claims the key and creates. Neither answers "in progress".
 * A retry with the same key but another request (or another operation) answers IDEMPOTENCY_KEY_REUSED.
 */
export async function withIdempotency<T>(
  tx: Executor,
  actor: Actor,
  { scope, key, request }: IdempotentRequest,
  create: () => Promise<T>,
): Promise<T> {
  if (key === undefined) return create();
  const requestHash = hashRequest(scope, request);
  // An expired key is reclaimed in place: it answers nothing any more.
  const { rows: claimed } = await sql<{ claimed: number }>`
    insert into idempotency_keys as k (user_id, key, scope, request_hash, expires_at)
    values (${actor.id}, ${key}, ${scope}, ${requestHash},
            now() + make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS}))
    on conflict (user_id, key) do update set
      scope = excluded.scope,
      request_hash = excluded.request_hash,
      response = null,
      created_at = now(),
      expires_at = excluded.expires_at
    where k.expires_at <= now()
    returning 1 as claimed
  `.execute(tx);

  if (claimed.length > 0) {
    const result = await create();
    await tx
      .updateTable('idempotencyKeys')
      .set({ response: toStoredJson(result) })
      .where('userId', '=', actor.id)
      .where('key', '=', key)
      .execute();
    return result;
  }

  const stored = await tx
    .selectFrom('idempotencyKeys')
    .select(['scope', 'requestHash', 'response'])
    .where('userId', '=', actor.id)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (stored.scope !== scope || stored.requestHash !== requestHash) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'This idempotency key was already used for a different request; use a new key for a new request.',
      { field: 'idempotencyKey' },
    );
  }
  // The answer is written before the claiming transaction commits, so a committed key always has one.
  if (stored.response === null) throw new Error('committed idempotency key without a response');
  return fromStoredJson(stored.response) as T;
}

/** Deletes the keys past their expiry; returns how many. Run it now and then (expired keys are inert). */
export async function deleteExpiredIdempotencyKeys(db: Kysely<DB>): Promise<number> {
  const result = await db.deleteFrom('idempotencyKeys').where('expiresAt', '<=', sql<Date>`now()`).execute();
  return Number(result[0]?.numDeletedRows ?? 0);
}

/** sha256 of the canonical JSON (keys sorted, undefined dropped) of the operation and its request. */
export function hashRequest(scope: IdempotencyScope, request: unknown): string {
  const body =
    request !== null && typeof request === 'object' && !Array.isArray(request)
      ? Object.fromEntries(Object.entries(request).filter(([name]) => name !== 'idempotencyKey'))
      : request;
  return createHash('sha256')
    .update(canonicalJson({ scope, request: body }))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// The stored answer must come back exactly as first returned, Dates included (superjson sends them as
// Dates): they are boxed as {"$date": iso} on the way in and unboxed on the way out.

const DATE_BOX = '$date';

function toStoredJson(value: unknown): string {
  return JSON.stringify(value, function box(this: Record<string, unknown>, name, field) {
    const raw = this[name];
    return raw instanceof Date ? { [DATE_BOX]: raw.toISOString() } : field;
  });
}

function fromStoredJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromStoredJson);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first?.[0] === DATE_BOX && typeof first[1] === 'string') {
      return new Date(first[1]);
    }
    return Object.fromEntries(entries.map(([name, field]) => [name, fromStoredJson(field)]));
  }
  return value;
}
