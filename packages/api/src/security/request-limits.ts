import { createHash } from 'node:crypto';
import {
  AppError,
  enforceRateLimit,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRule,
  rejectOverLimit,
  type UserBudget,
} from '@tickets/core';

/** The abuse limits, each a fixed window. Configured by the composition root (env.ts names the variables). */
export interface RequestLimits {
  /**
   * Sign-in attempts naming one e-mail from devices that never signed in to it (slows password guessing
   * against one account), and likewise per recognised device, counted apart: failures from strangers
   * never lock the owner out of a device they used before.
   */
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
  userRateLimiter?: RateLimiter;
  requestLimits?: RequestLimits;
}): UserBudget | null {
  const limiter = services.userRateLimiter ?? services.rateLimiter;
  return limiter && services.requestLimits ? { limiter, rule: services.requestLimits.perUser } : null;
}

// auth.setup presents a secret (the one-time token) and hashes a password: limited like a sign-in.
const credentialProcedures = new Set(['auth.signIn', 'auth.signUp', 'auth.setup']);

export interface LimitedCall {
  path: string;
  /** The caller's per-user budget after this call, counted with the session check (authenticateCaller). */
  userHit: RateLimitDecision | null;
  clientAddress: string | null;
  getRawInput: () => Promise<unknown>;
  /** The device cookie the request carried (a program sends its device token in the input instead). */
  deviceCookie: string | null;
  /** The device id behind a token that signed in to this e-mail's account before, else null. */
  recogniseDevice: (token: string, email: string) => Promise<string | null>;
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
    if (call.path === 'auth.signIn') await countSignInAttempt(limiter, limits, call);
  }
  if (call.userHit) rejectOverLimit(call.userHit);
}

async function countSignInAttempt(limiter: RateLimiter, limits: RequestLimits, call: LimitedCall) {
  const { email, deviceToken } = signInFieldsOf(await call.getRawInput());
  if (!email) return;
  const presented = deviceToken ?? call.deviceCookie;
  const device = presented ? await call.recogniseDevice(presented, email) : null;
  // Hashed: the counters table need not hold a list of e-mail addresses (tried ones included).
  const key = device
    ? `sign-in:device:${device}`
    : `sign-in:account:${createHash('sha256').update(email).digest('base64url')}`;
  const decision = await limiter.hit(key, limits.signInPerAccount);
  if (decision.allowed) return;
  const wait = describeWait(decision.retryAfterSeconds);
  throw new AppError(
    'RATE_LIMITED',
    device
      ? `Too many sign-in attempts from this device; retry in ${wait}.`
      : `Too many sign-in attempts for this account; retry in ${wait}, or sign in from a device you have used before.`,
    { retryAfterSeconds: decision.retryAfterSeconds },
  );
}

function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** E-mail (as sign-in compares it: lower case, trimmed) and device token, before validation: bad input counts too. */
function signInFieldsOf(input: unknown): { email: string | null; deviceToken: string | null } {
  if (typeof input !== 'object' || input === null) return { email: null, deviceToken: null };
  const { email, deviceToken } = input as { email?: unknown; deviceToken?: unknown };
  return {
    email: typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : null,
    deviceToken: typeof deviceToken === 'string' && deviceToken.length <= 160 ? deviceToken : null,
  };
}
