export interface BackoffSchedule {
  /** Delay after the first failed attempt; doubled after each further one. */
  baseMs: number;
  /** No delay grows beyond this. */
  maxMs: number;
}

/**
 * Exponential backoff with ±20 % jitter: the delay before attempt `failedAttempts + 1`. Jitter spreads
 * the retries of a batch that failed together (a receiver's outage) so they do not return as one wave.
 */
export function backoffDelayMs(
  failedAttempts: number,
  schedule: BackoffSchedule,
  random: () => number = Math.random,
): number {
  const delay = Math.min(schedule.baseMs * 2 ** Math.max(0, failedAttempts - 1), schedule.maxMs);
  return Math.round(delay * (0.8 + random() * 0.4));
}
