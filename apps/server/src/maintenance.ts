import { deleteExpiredIdempotencyKeys, type Executor } from '@tickets/core';
import type { Logger } from './logger';

const HOUR_MS = 60 * 60_000;

/**
 * Housekeeping that no request does: expired idempotency keys (kept 24 h) are deleted hourly. Every
 * instance may run it; the delete is idempotent. A failure is logged and retried at the next tick.
 */
export function startMaintenance(db: Executor, logger: Logger, intervalMs = HOUR_MS): { stop(): void } {
  const tick = async () => {
    try {
      const deleted = await deleteExpiredIdempotencyKeys(db);
      if (deleted > 0) logger.info({ deleted }, 'expired idempotency keys deleted');
    } catch (error) {
      logger.warn({ err: error }, 'maintenance failed; retrying at the next tick');
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
