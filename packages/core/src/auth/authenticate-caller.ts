import type { RateLimiter, RateLimitRule } from '../rate-limit/rate-limiter';
import type { Executor } from '../shared/transaction';
import type { SessionCache } from './session-cache';
import { type ValidatedSession, validateSessionToken } from './sessions';

/** The per-user budget every signed-in call is counted against. */
export interface UserBudget {
  limiter: RateLimiter;
  rule: RateLimitRule;
}

/**
 * The caller behind a session token (null: no live session), with the call counted against the user's
 * budget (`userHit`; the caller decides what to answer past it). With a session cache and a budget kept
 * in memory or Redis, a signed-in call sends no statement to the database at all.
 */
export async function authenticateCaller(
  executor: Executor,
  token: string,
  budget: UserBudget | null,
  cache?: SessionCache,
): Promise<ValidatedSession | null> {
  const validated = await validateSessionToken(executor, token, cache ? { cache } : {});
  if (!validated || !budget) return validated;
  return { ...validated, userHit: await budget.limiter.hit(`user:${validated.actor.id}`, budget.rule) };
}
