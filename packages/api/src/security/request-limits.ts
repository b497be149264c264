import { createHash } from 'node:crypto';
import {
  enforceRateLimit,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRule,
  rejectOverLimit,
  type UserBudget,
} from '@tickets/core';

/** The abuse limits, each a fixed window. Configured by the composition root (env.ts names the variables). */
export interface RequestLimits {
  /** Sign-in attempts naming one e-mail, from anywhere: slows password guessing against one account. */
  readonly signInPerAccount: RateLimitRule;
  /** Sign-in and sign-up attempts from one client address, whatever the e-mail: slows credential stuffing. */
  readonly signInPerAddress: RateLimitRule;
  /** Procedure calls by one signed-in user (each call of a batch counts). */
  readonly perUser: RateLimitRule;
}

export const defaultRequestLimits: RequestLimits = {
  signInPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  signInPerAddress: { limit: 50, windowSeconds: 15 * 60 },
  perUser: { limit: 600, windowSeconds: 60 },
};

/** The per-user budget of signed-in calls (procedures and attachment routes alike), when limits apply. */
export function userBudgetOf(services: {
  rateLimiter?: RateLimiter;
  requestLimits?: RequestLimits;
}): UserBudget | null {
  const { rateLimiter, requestLimits } = services;
  return rateLimiter && requestLimits ? { limiter: rateLimiter, rule: requestLimits.perUser } : null;
}

// auth.setup presents a secret (the one-time token) and hashes a password: limited like a sign-in.
const credentialProcedures = new Set(['auth.signIn', 'auth.signUp', 'auth.setup']);

export interface LimitedCall {
  path: string;
  /** The caller's per-user budget after this call, counted with the session check (authenticateCaller). */
  userHit: RateLimitDecision | null;
  clientAddress: string | null;
  getRawInput: () => Promise<unknown>;
}

/**
 * Counts one procedure call against every limit it falls under; throws RATE_LIMITED past one.
 * Runs per call, so the calls of one batched HTTP request each count. The per-user budget was already
 * counted with the session check; this only applies its decision.
 */
export async function enforceRequestLimits(
  limiter: RateLimiter,
  limits: RequestLimits,
  call: LimitedCall,
): Promise<void> {
  if (credentialProcedures.has(call.path)) {
    // No address (an in-process caller) shares one bucket rather than escaping the limit.
    await enforceRateLimit(
      limiter,
      `credentials:address:${call.clientAddress ?? 'unknown'}`,
      limits.signInPerAddress,
    );
    if (call.path === 'auth.signIn') {
      const email = emailOf(await call.getRawInput());
      // Hashed: the counters table need not hold a list of e-mail addresses (tried ones included).
      if (email) {
        const account = createHash('sha256').update(email).digest('base64url');
        await enforceRateLimit(limiter, `sign-in:account:${account}`, limits.signInPerAccount);
      }
    }
  }
  if (call.userHit) rejectOverLimit(call.userHit);
}

/** The e-mail as sign-in compares it (lower case, trimmed), before validation: bad input counts too. */
function emailOf(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const email = (input as { email?: unknown }).email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : null;
}
