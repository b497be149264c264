import { type Executor, processSlaDeadlines } from '@tickets/core';
import type { Logger } from './logger';

export interface SlaWorkerOptions {
  /** How often to look for due tickets. */
  intervalMs: number;
  /** How long before a due time its warning goes out; 0 sends none. */
  warningLeadMs: number;
  batchSize?: number;
}

/**
 * The service-level breach and warning worker: every tick, batches of due tickets until none is left.
 * Every instance may run it (the batches claim with SKIP LOCKED and announce exactly once). Ticks never
 * overlap; a failure is logged and retried at the next tick. Self-contained so it can join a shared
 * job runner later.
 */
export function startSlaWorker(
  db: Executor,
  logger: Logger,
  options: SlaWorkerOptions,
): { stop(): Promise<void> } {
  const batchSize = options.batchSize ?? 100;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      for (;;) {
        const result = await processSlaDeadlines(db, { warningLeadMs: options.warningLeadMs, batchSize });
        if (result.breaches > 0 || result.warnings > 0) {
          logger.info({ breaches: result.breaches, warnings: result.warnings }, 'service levels announced');
        }
        if (stopped || result.claimed < batchSize) return;
      }
    } catch (error) {
      logger.warn({ err: error }, 'service-level check failed; retrying at the next tick');
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = tick().finally(() => {
      running = null;
    });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
