import { setTimeout as sleep } from 'node:timers/promises';
import {
  deliverOutboxBatch,
  type Executor,
  type NotificationChannel,
  type OutboxDeliveryOptions,
  pruneOutbox,
} from '@tickets/core';
import type { Logger } from '../logger';

export interface MailWorkerOptions {
  db: Executor;
  channels: readonly NotificationChannel[];
  logger: Logger;
  /** Wait between polls when the outbox is empty. */
  intervalMs?: number;
  /** Finished outbox rows are deleted this long after they finished. */
  retentionMs?: number;
  delivery?: Omit<OutboxDeliveryOptions, 'channels'>;
}

export interface MailWorker {
  /** Polls now rather than at the next interval (new notifications committed). */
  wake(): void;
  /** Finishes the batch in flight, then closes the channels. */
  close(): Promise<void>;
}

const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Delivers the outbox on every instance: rows are claimed with SKIP LOCKED, so instances share the work
 * and never send one e-mail twice. A failure is recorded on the row and retried with backoff; it never
 * reaches the action that wrote the notification, which committed long before.
 */
export function startMailWorker(options: MailWorkerOptions): MailWorker {
  const { db, channels, logger, intervalMs = 2_000, retentionMs = 7 * 24 * 60 * 60_000 } = options;
  const batchSize = options.delivery?.batchSize ?? 20;
  const stopped = new AbortController();
  let nap: AbortController | null = null;
  let lastPrune = 0;

  async function run() {
    while (!stopped.signal.aborted) {
      let full = false;
      try {
        const result = await deliverOutboxBatch(db, { ...options.delivery, batchSize, channels });
        full = result.claimed === batchSize;
        if (result.claimed > 0) logger.info({ ...result }, 'outbox batch delivered');
        if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
          lastPrune = Date.now();
          const pruned = await pruneOutbox(db, new Date(Date.now() - retentionMs));
          if (pruned > 0) logger.info({ pruned }, 'outbox pruned');
        }
      } catch (error) {
        logger.warn({ err: error }, 'outbox delivery failed');
      }
      if (full) continue;
      nap = new AbortController();
      await sleep(intervalMs, undefined, { signal: AbortSignal.any([nap.signal, stopped.signal]) }).catch(
        () => {},
      );
      nap = null;
    }
  }

  const running = run();
  return {
    wake: () => nap?.abort(),
    async close() {
      stopped.abort();
      await running;
      await Promise.all(channels.map((channel) => channel.close?.()));
    },
  };
}
