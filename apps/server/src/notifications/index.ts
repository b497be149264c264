import { createNotificationHub, type Executor, type NotificationHub, type SessionCache } from '@tickets/core';
import type { Env } from '../env';
import type { Logger } from '../logger';
import { startNotificationListener } from './listener';
import { startPollingFeed } from './polling-feed';

export interface Notifications {
  hub: NotificationHub;
  /** Ends the live streams (clients reconnect and resume), stops listening. */
  close(): Promise<void>;
}

/**
 * Live delivery of this process, from the configuration: the hub behind the notification streams and
 * the feed that fills it (LISTEN on PostgreSQL, polling on the embedded database). E-mail is background
 * work (background/background-work.ts); `onPayload` wakes it when the process runs it.
 */
export function startNotifications(
  env: Pick<Env, 'database' | 'liveStreams'>,
  db: Executor,
  logger: Logger,
  /** Told, with the hub, of sessions that ended on other instances. */
  sessionCache?: SessionCache,
  /** Called for every NOTIFY payload (the mail outbox of a process that runs it). */
  onPayload?: () => void,
): Notifications {
  const log = logger.child({ component: 'notifications' });
  const hub = createNotificationHub({
    db,
    streamLimits: env.liveStreams,
    onError: (err, context) => log.warn({ err }, context),
  });
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
          onPayload,
        })
      : startPollingFeed({ db, sink: hub, logger: log });
  return {
    hub,
    async close() {
      hub.close();
      await feed.close();
    },
  };
}
