import {
  deliverWebhookBatch,
  type Executor,
  pruneWebhookDeliveries,
  type WebhookDeliveryOptions,
} from '@tickets/core';
import { type OutboxWorker, startOutboxWorker } from '../background/outbox-worker';
import type { Logger } from '../logger';

export interface WebhookWorkerOptions {
  db: Executor;
  logger: Logger;
  delivery: WebhookDeliveryOptions;
  /** Batches in flight at once: a slow receiver holds one batch, not the whole worker. */
  concurrency?: number;
  intervalMs?: number;
  /** Finished deliveries stay listed this long. */
  retentionMs?: number;
}

const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Delivers webhooks on every instance with the same outbox loop as e-mail: claimed with SKIP LOCKED,
 * signed, POSTed, retried with backoff, endpoints disabled after a long run of failures.
 */
export function startWebhookWorker(options: WebhookWorkerOptions): OutboxWorker {
  const {
    db,
    logger,
    delivery,
    concurrency = 2,
    intervalMs = 1_000,
    retentionMs = 7 * 24 * 60 * 60_000,
  } = options;
  const batchSize = delivery.batchSize ?? 20;
  return startOutboxWorker({
    logger: logger.child({ component: 'webhooks' }),
    batchSize,
    concurrency,
    intervalMs,
    runBatch: async () => ({ ...(await deliverWebhookBatch(db, { ...delivery, batchSize })) }),
    prune: {
      everyMs: PRUNE_EVERY_MS,
      run: () => pruneWebhookDeliveries(db, new Date(Date.now() - retentionMs)),
    },
  });
}
