import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  createMemoryRateLimiter,
  createPostgresRateLimiter,
  enforceRateLimit,
  type RateLimiter,
} from './rate-limiter';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const rule = { limit: 3, windowSeconds: 60 };
// On the real clock, a day-long window: one that ended mid-test would reset the count (a flaky test).
const dayRule = { limit: 3, windowSeconds: 86_400 };
const key = () => `test:${randomUUID()}`;

async function hitTimes(limiter: RateLimiter, k: string, times: number, applied = rule) {
  const decisions = [];
  for (let i = 0; i < times; i += 1) decisions.push(await limiter.hit(k, applied));
  return decisions;
}

describe('memory rate limiter', () => {
  it('given the limit is reached, then the next hit is refused until the window ends, then counting restarts', async () => {
    let now = 120_000; // the start of a 60 s window
    const limiter = createMemoryRateLimiter(() => now);
    const k = key();
    const decisions = await hitTimes(limiter, k, 4);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]?.retryAfterSeconds).toBe(60);
    now += 59_500;
    expect((await limiter.hit(k, rule)).retryAfterSeconds).toBe(1);
    now += 500;
    expect(await limiter.hit(k, rule)).toMatchObject({ allowed: true, hits: 1 });
  });

  it('given two keys, then each has its own count', async () => {
    const limiter = createMemoryRateLimiter();
    const [a, b] = [key(), key()];
    await hitTimes(limiter, a, 3);
    expect((await limiter.hit(b, rule)).allowed).toBe(true);
    expect((await limiter.hit(a, rule)).allowed).toBe(false);
  });
});

describe('memory rate limiter under a flood of keys', () => {
  it('given more keys than it holds, then the oldest counters go and the newest keep counting', async () => {
    const limiter = createMemoryRateLimiter(Date.now, 100);
    const recent = key();
    for (let i = 0; i < 99; i += 1) await limiter.hit(`test:flood:${i}`, rule);
    await hitTimes(limiter, recent, 3);
    expect((await limiter.hit(recent, rule)).allowed).toBe(false);
    // Full since the recent key came: the oldest flood keys went, the recent key's count stayed.
    expect((await limiter.hit('test:flood:first-evicted', rule)).allowed).toBe(true);
    expect((await limiter.hit(recent, rule)).hits).toBe(5);
    expect((await limiter.hit('test:flood:0', rule)).hits).toBe(1);
  });
});

describe('PostgreSQL rate limiter', () => {
  it('given two limiters on one database (two server instances), then they share one count', async () => {
    const [first, second] = [createPostgresRateLimiter(db), createPostgresRateLimiter(db)];
    const k = key();
    const decisions = [
      await first.hit(k, dayRule),
      await second.hit(k, dayRule),
      await first.hit(k, dayRule),
      await second.hit(k, dayRule),
    ];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(decisions[3]?.retryAfterSeconds).toBeLessThanOrEqual(86_400);
  });

  it('given 40 hits at once, then exactly the limit pass (the upsert is atomic)', async () => {
    const limiter = createPostgresRateLimiter(db);
    const k = key();
    const decisions = await Promise.all(Array.from({ length: 40 }, () => limiter.hit(k, dayRule)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(dayRule.limit);
    expect(decisions.map((d) => d.hits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  it('given a window that has ended, then counting restarts from one', async () => {
    const limiter = createPostgresRateLimiter(db);
    const k = key();
    await hitTimes(limiter, k, 4, dayRule);
    await db
      .updateTable('rateLimits')
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where('key', '=', k)
      .execute();
    expect(await limiter.hit(k, dayRule)).toMatchObject({ allowed: true, hits: 1 });
  });

  it('given the limit is passed, then enforceRateLimit throws RATE_LIMITED with the seconds to wait', async () => {
    const limiter = createPostgresRateLimiter(db);
    const k = key();
    await hitTimes(limiter, k, 3, dayRule);
    const error = await enforceRateLimit(limiter, k, dayRule).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', kind: 'TOO_MANY_REQUESTS' });
    expect((error as AppError).details?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});
