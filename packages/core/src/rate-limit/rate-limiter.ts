import type { DB } from '@tickets/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { AppError } from '../errors';

/** At most `limit` hits per fixed window of `windowSeconds`. */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Hits counted in the current window, this one included. */
  readonly hits: number;
  /** Seconds until the current window ends (at least 1). */
  readonly retryAfterSeconds: number;
}

/** Counts one hit against a key. Keys name the rule too (e.g. `sign-in:address:…`): one rule per key. */
export interface RateLimiter {
  /** Where the counters live: PostgreSQL's can also be counted inside another statement (countHitSql). */
  readonly store: 'memory' | 'postgres' | 'redis';
  hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

/**
 * Counters in this process only: for the embedded (PGlite) mode, which is one process by construction,
 * and for tests. Windows are aligned to the epoch so every key's window ends at a predictable time.
 */
export function createMemoryRateLimiter(now: () => number = Date.now, maxKeys = 100_000): RateLimiter {
  const windows = new Map<string, { expiresAt: number; hits: number }>();
  return {
    store: 'memory',
    async hit(key, rule) {
      const current = now();
      const windowMs = rule.windowSeconds * 1000;
      const expiresAt = (Math.floor(current / windowMs) + 1) * windowMs;
      // A flood of distinct keys must not hold memory: when full, expired counters go, then the oldest
      // until a tenth is free (so the sweep runs once per 10% of capacity, not on every hit).
      if (windows.size >= maxKeys) {
        for (const [k, entry] of windows) if (entry.expiresAt <= current) windows.delete(k);
        for (const k of windows.keys()) {
          if (windows.size < maxKeys * 0.9) break;
          windows.delete(k);
        }
      }
      const entry = windows.get(key);
      const hits = entry && entry.expiresAt === expiresAt ? entry.hits + 1 : 1;
      windows.set(key, { expiresAt, hits });
      return rateLimitDecision(hits, rule, (expiresAt - current) / 1000);
    },
  };
}

/**
 * The PostgreSQL upsert that counts one hit for each (key) row of `keys` (a query selecting a `key`
 * column: a literal, or a key derived in the same statement) and returns `hits` and `remaining` seconds.
 * Atomic under concurrency (the row lock of ON CONFLICT serialises hits on one key), on the database's
 * clock so instances with drifting clocks agree on the window.
 */
export function countHitSql(keys: RawBuilder<unknown>, rule: RateLimitRule) {
  const window = rule.windowSeconds;
  return sql<{ hits: number; remaining: number }>`
    insert into rate_limits as r (key, expires_at, hits)
    select keys.key,
      to_timestamp((floor(extract(epoch from clock_timestamp()) / ${window}) + 1) * ${window}),
      1
    from (${keys}) as keys
    on conflict (key) do update set
      hits = case when r.expires_at = excluded.expires_at then r.hits + 1 else 1 end,
      expires_at = excluded.expires_at
    returning hits, extract(epoch from (expires_at - clock_timestamp()))::float8 as remaining`;
}

/** Counters in PostgreSQL, shared by every server instance on the database: one upsert per hit. */
export function createPostgresRateLimiter(db: Kysely<DB>): RateLimiter {
  let sinceCleanup = 0;
  return {
    store: 'postgres',
    async hit(key, rule) {
      const { rows } = await countHitSql(sql`select ${key}::text as key`, rule).execute(db);
      const row = rows[0];
      if (!row) throw new Error('rate limit upsert returned no row');
      // Keys of past windows are dead weight: sweep them now and then rather than on every hit.
      sinceCleanup += 1;
      if (sinceCleanup >= 1_000) {
        sinceCleanup = 0;
        await sql`delete from rate_limits where expires_at < clock_timestamp()`.execute(db);
      }
      return rateLimitDecision(row.hits, rule, row.remaining);
    },
  };
}

export function rateLimitDecision(hits: number, rule: RateLimitRule, secondsLeft: number): RateLimitDecision {
  return {
    allowed: hits <= rule.limit,
    hits,
    retryAfterSeconds: Math.max(1, Math.ceil(secondsLeft)),
  };
}

/** Throws RATE_LIMITED (TOO_MANY_REQUESTS, with the seconds to wait) when the decision refuses. */
export function rejectOverLimit(decision: RateLimitDecision): void {
  if (!decision.allowed) {
    throw new AppError('RATE_LIMITED', `Too many requests; retry in ${decision.retryAfterSeconds} s.`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}

/** Counts a hit and throws RATE_LIMITED (TOO_MANY_REQUESTS) past the rule's limit. */
export async function enforceRateLimit(
  limiter: RateLimiter,
  key: string,
  rule: RateLimitRule,
): Promise<RateLimitDecision> {
  const decision = await limiter.hit(key, rule);
  rejectOverLimit(decision);
  return decision;
}
