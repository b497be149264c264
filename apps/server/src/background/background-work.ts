import {
  createEmailChannel,
  defaultWebhookBackoff,
  type Executor,
  type WebhookTransport,
} from '@tickets/core';
import type { Env } from '../env';
import type { Logger } from '../logger';
import { startMaintenance } from '../maintenance';
import { startMailWorker } from '../notifications/mail-worker';
import { startSlaWorker } from '../sla-worker';
import { startWebhookWorker } from '../webhooks/webhook-worker';

export interface BackgroundWorkOptions {
  env: Pick<Env, 'mail' | 'sla' | 'webhooks'>;
  db: Executor;
  logger: Logger;
  /** The process's webhook transport (in role `all` the API's `webhooks.test` shares its connections). */
  webhookTransport: WebhookTransport;
}

export interface BackgroundWork {
  /** New notifications were committed (a NOTIFY arrived): the mail outbox polls now, not at its next interval. */
  wake(): void;
  /**
   * Stops taking work and lets what is in flight finish (a mail batch, a webhook batch, an SLA tick),
   * so a SIGTERM ends no request half-recorded. Work claimed and not finished (a kill) is not lost
   * either: its lease ends and any worker claims it again.
   */
  stop(): Promise<void>;
}

/**
 * Every loop that no request runs, started from one place for the two roles that run them (`all` and
 * `worker`): the e-mail outbox, webhook deliveries, service-level deadlines, and hourly housekeeping.
 * Each claims its rows with SKIP LOCKED (or is idempotent), so any number of processes may run them.
 */
export function startBackgroundWork({
  env,
  db,
  logger,
  webhookTransport,
}: BackgroundWorkOptions): BackgroundWork {
  // Without SMTP_URL there is no e-mail channel: this process sends no e-mail and leaves the outbox to
  // processes that can (pending rows nobody can send are pruned after the retention period).
  const channels = env.mail ? [createEmailChannel({ smtpUrl: env.mail.smtpUrl, from: env.mail.from })] : [];
  const mail = startMailWorker({ db, channels, logger: logger.child({ component: 'notifications' }) });
  const webhooks = startWebhookWorker({
    db,
    logger,
    concurrency: env.webhooks.concurrency,
    delivery: {
      transport: webhookTransport,
      batchSize: env.webhooks.batchSize,
      leaseMs: env.webhooks.leaseMs,
      backoff: { ...defaultWebhookBackoff, baseMs: env.webhooks.retryBaseMs },
    },
  });
  const sla = startSlaWorker(db, logger, {
    intervalMs: env.sla.checkIntervalMs,
    warningLeadMs: env.sla.warningLeadMs,
  });
  const maintenance = startMaintenance(db, logger);
  let stopping: Promise<void> | undefined;
  return {
    wake: mail.wake,
    stop() {
      stopping ??= (async () => {
        maintenance.stop();
        // Independent loops: drained side by side, so the stop takes as long as the slowest, not the sum.
        await Promise.all([sla.stop(), webhooks.close(), mail.close()]);
      })();
      return stopping;
    },
  };
}
