import type { RateLimiter, RateLimitRule } from '../rate-limit/rate-limiter';
import type { Executor } from '../shared/transaction';
import { type ValidatedSession, validateSessionToken } from './sessions';

/** The per-user budget every signed-in call is counted against. */
export interface UserBudget {
  limiter: RateLimiter;
  rule: RateLimitRule;
}

/**
 * The caller behind a session token (null: no live session), with the call counted against the user's
 * budget (`userHit`; the caller decides what to answer past it). With the counters in PostgreSQL the
 * count rides in the session check's own statement: one round trip per call instead of two.
 */
export async function authenticateCaller(
  executor: Executor,
  token: string,
  budget: UserBudget | null,
): Promise<ValidatedSession | null> {
  if (!budget) return validateSessionToken(executor, token);
  if (budget.limiter.store === 'postgres') {
    return validateSessionToken(executor, token, { countUserHit: budget.rule });
  }
  const validated = await validateSessionToken(executor, token);
  if (!validated) return null;
  // The same key the SQL path counts under ('user:' || user id): one budget whichever path counts.
  return { ...validated, userHit: await budget.limiter.hit(`user:${validated.actor.id}`, budget.rule) };
}
