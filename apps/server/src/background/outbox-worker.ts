import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger';

export interface OutboxWorkerOptions {
  logger: Logger;
  /** Claims (FOR UPDATE SKIP LOCKED, committed at once), delivers and records one batch; counts by outcome. */
  runBatch(): Promise<{ claimed: number } & Record<string, number>>;
  /** What runBatch claims at most: a full batch means more is due, so the next one starts at once. */
  batchSize: number;
  /** Batches in flight at once (each its own claim), for outboxes whose receivers are slow. */
  concurrency?: number;
  /** Wait between polls when nothing is due. */
  intervalMs?: number;
  /** Deletes finished rows; run at most once per `everyMs` by one of the loops. */
  prune?: { everyMs: number; run(): Promise<number> };
}

export interface OutboxWorker {
  /** Polls now rather than at the next interval (new rows committed). */
  wake(): void;
  /** Lets the batches in flight finish, then resolves. */
  close(): Promise<void>;
}

/**
 * The one loop behind every outbox of this server (e-mail notifications, webhook deliveries): poll,
 * run a batch, go again at once while batches come back full, otherwise nap until the interval ends or
 * someone wakes it. The rows themselves carry the state (lease, attempts, next attempt), so every
 * instance can run a worker, and one killed mid-batch loses nothing: its claimed rows come due again
 * when their lease ends. A failing batch (database briefly gone) is logged and retried at the next poll.
 */
export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { logger, batchSize, concurrency = 1, intervalMs = 2_000, prune } = options;
  const stopped = new AbortController();
  const naps = new Set<AbortController>();
  let lastPrune = 0;

  async function loop() {
    while (!stopped.signal.aborted) {
      let full = false;
      try {
        const result = await options.runBatch();
        full = result.claimed === batchSize;
        if (result.claimed > 0) logger.info({ ...result }, 'outbox batch delivered');
        if (prune && Date.now() - lastPrune > prune.everyMs) {
          lastPrune = Date.now();
          const pruned = await prune.run();
          if (pruned > 0) logger.info({ pruned }, 'outbox pruned');
        }
      } catch (error) {
        logger.warn({ err: error }, 'outbox delivery failed');
      }
      if (full) continue;
      const nap = new AbortController();
      naps.add(nap);
      await sleep(intervalMs, undefined, { signal: AbortSignal.any([nap.signal, stopped.signal]) }).catch(
        () => {},
      );
      naps.delete(nap);
    }
  }

  const running = Promise.all(Array.from({ length: concurrency }, loop));
  return {
    wake: () => {
      for (const nap of naps) nap.abort();
    },
    async close() {
      stopped.abort();
      await running;
    },
  };
}
