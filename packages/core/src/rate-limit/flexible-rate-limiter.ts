import {
  type IRateLimiterOptions,
  type IRateLimiterStoreOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { type RateLimiter, type RateLimitRule, rateLimitDecision } from './rate-limiter';

/** A Redis client rate-limiter-flexible accepts (ioredis, as the composition root creates). */
export type RedisClient = IRateLimiterStoreOptions['storeClient'];

/**
 * The per-user budget of signed-in calls, counted off the database: it is hit on every call, reads
 * included, and a read must not write (a PostgreSQL counter made every page view a write). In this
 * process's memory by default (each instance then counts its own share: N instances allow N times the
 * budget), or in Redis when one is configured, so every instance shares one exact count; if Redis stops
 * answering, counting falls back to memory rather than refusing or waving calls through.
 * rate-limiter-flexible does the counting (atomic INCR + PEXPIRE in one Lua call on Redis).
 */
export function createFlexibleRateLimiter(redis?: RedisClient): RateLimiter {
  const byRule = new Map<string, RateLimiterMemory | RateLimiterRedis>();
  const limiterFor = (rule: RateLimitRule) => {
    const id = `${rule.limit}/${rule.windowSeconds}`;
    let limiter = byRule.get(id);
    if (!limiter) {
      const options: IRateLimiterOptions = {
        points: rule.limit,
        duration: rule.windowSeconds,
        keyPrefix: `tickets:rl:${id}`,
      };
      limiter = redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: redis,
            // Not ready (down, reconnecting): count in memory at once rather than wait on a dead socket.
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
      byRule.set(id, limiter);
    }
    return limiter;
  };
  return {
    store: redis ? 'redis' : 'memory',
    async hit(key, rule) {
      try {
        const result = await limiterFor(rule).consume(key);
        return rateLimitDecision(result.consumedPoints, rule, result.msBeforeNext / 1000);
      } catch (outcome) {
        // A refusal rejects with the counter's state; anything else is a store failure.
        if (!(outcome instanceof RateLimiterRes)) throw outcome;
        return rateLimitDecision(outcome.consumedPoints, rule, outcome.msBeforeNext / 1000);
      }
    },
  };
}
