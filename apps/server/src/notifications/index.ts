import {
  createEmailChannel,
  createNotificationHub,
  type Executor,
  type NotificationHub,
  type SessionCache,
} from '@tickets/core';
import type { Env } from '../env';
import type { Logger } from '../logger';
import { startNotificationListener } from './listener';
import { startMailWorker } from './mail-worker';
import { startPollingFeed } from './polling-feed';

export interface Notifications {
  hub: NotificationHub;
  /** Ends the live streams (clients reconnect and resume), stops listening, finishes the mail batch. */
  close(): Promise<void>;
}

/** Live delivery and the e-mail channel of this process, from the configuration. */
export function startNotifications(
  env: Pick<Env, 'database' | 'mail' | 'liveStreams'>,
  db: Executor,
  logger: Logger,
  /** Told, with the hub, of sessions that ended on other instances. */
  sessionCache?: SessionCache,
): Notifications {
  const log = logger.child({ component: 'notifications' });
  const hub = createNotificationHub({
    db,
    streamLimits: env.liveStreams,
    onError: (err, context) => log.warn({ err }, context),
  });
  // Without SMTP_URL there is no e-mail channel: this instance sends no e-mail and leaves the outbox to
  // instances that can (pending rows nobody can send are pruned after the retention period).
  const channels = env.mail ? [createEmailChannel({ smtpUrl: env.mail.smtpUrl, from: env.mail.from })] : [];
  const mailWorker = startMailWorker({ db, channels, logger: log });
  const feed =
    env.database.kind === 'postgres'
      ? startNotificationListener({
          url: env.database.listenUrl,
          sink: {
            ingest: hub.ingest,
            resync: hub.resync,
            sessionsEnded(ended) {
              sessionCache?.forget(ended);
              hub.sessionsEnded(ended);
            },
          },
          logger: log,
          onPayload: mailWorker.wake,
        })
      : startPollingFeed({ db, sink: hub, logger: log });
  return {
    hub,
    async close() {
      hub.close();
      await feed.close();
      await mailWorker.close();
    },
  };
}
