import {
  deliverOutboxBatch,
  type Executor,
  type NotificationChannel,
  type OutboxDeliveryOptions,
  pruneOutbox,
} from '@tickets/core';
import { startOutboxWorker } from '../background/outbox-worker';
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
  const worker = startOutboxWorker({
    logger,
    batchSize,
    intervalMs,
    runBatch: async () => ({
      ...(await deliverOutboxBatch(db, { ...options.delivery, batchSize, channels })),
    }),
    prune: { everyMs: PRUNE_EVERY_MS, run: () => pruneOutbox(db, new Date(Date.now() - retentionMs)) },
  });
  return {
    wake: worker.wake,
    async close() {
      await worker.close();
      await Promise.all(channels.map((channel) => channel.close?.()));
    },
  };
}
