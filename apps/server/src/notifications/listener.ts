import { setTimeout as sleep } from 'node:timers/promises';
import {
  decodeNotifyPayload,
  decodeSessionsEnded,
  NOTIFY_CHANNEL,
  type NotificationFeedSink,
  type NotifyPayload,
  SESSIONS_ENDED_CHANNEL,
} from '@tickets/core';
import pg from 'pg';
import type { Logger } from '../logger';

export interface NotificationFeed {
  close(): Promise<void>;
}

export interface NotificationListenerOptions {
  url: string;
  sink: NotificationFeedSink;
  logger: Logger;
  /** Called for every payload too (the mail worker wakes up instead of waiting for its next poll). */
  onPayload?: (payload: NotifyPayload) => void;
  /** Reconnection backoff: doubles from the first value up to the second. */
  backoffMs?: [first: number, max: number];
  /** A LISTEN connection only reads: a query this often notices a connection that died silently. */
  heartbeatMs?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/** Names the connection in pg_stat_activity, so an operator can tell it from the pool's. */
export const LISTENER_APPLICATION_NAME = 'tickets-notification-listener';

/**
 * The one LISTEN connection of this process. It lives outside the pool (a pooled connection would be
 * handed to queries and lose its LISTEN), reconnects with backoff when it drops, and after every
 * (re)connect asks the hub to re-read from each stream's last sequence number: NOTIFYs sent while
 * nobody listened are gone, the rows are not.
 */
export function startNotificationListener(options: NotificationListenerOptions): NotificationFeed {
  const { url, sink, logger, onPayload, backoffMs: [firstBackoff, maxBackoff] = [250, 30_000] } = options;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const stopped = new AbortController();
  let client: pg.Client | null = null;
  let lost: (() => void) | null = null;

  const connect = () =>
    connectListener(url, options.applicationName ?? LISTENER_APPLICATION_NAME, {
      onLost: () => lost?.(),
      onNotification: (message) => routeNotification(message, { sink, logger, onPayload }),
    });

  async function run() {
    let backoff = firstBackoff;
    while (!stopped.signal.aborted) {
      try {
        client = await connect();
      } catch (error) {
        logger.warn({ err: error, retryInMs: backoff }, 'notification listener could not connect');
        await sleep(backoff, undefined, { signal: stopped.signal }).catch(() => {});
        backoff = Math.min(backoff * 2, maxBackoff);
        continue;
      }
      backoff = firstBackoff;
      logger.info('notification listener connected');
      sink.resync();
      await untilLost(client);
      const dead = client;
      client = null;
      await dead.end().catch(() => {});
      if (!stopped.signal.aborted) logger.warn('notification listener lost its connection; reconnecting');
    }
  }

  /** Resolves when the connection errors, ends, fails a heartbeat, or the listener stops. */
  function untilLost(connection: pg.Client): Promise<void> {
    return new Promise<void>((resolve) => {
      const heartbeat = setInterval(() => {
        connection.query('select 1').catch(() => lost?.());
      }, heartbeatMs);
      const done = () => {
        clearInterval(heartbeat);
        stopped.signal.removeEventListener('abort', done);
        lost = null;
        resolve();
      };
      lost = done;
      if (stopped.signal.aborted) done();
      else stopped.signal.addEventListener('abort', done);
    });
  }

  const running = run();
  return {
    async close() {
      stopped.abort();
      await running;
      await client?.end().catch(() => {});
    },
  };
}

/** A connection of its own (not the pool's) that LISTENs on the notification and session channels. */
async function connectListener(
  url: string,
  applicationName: string,
  { onLost, onNotification }: { onLost: () => void; onNotification: (message: pg.Notification) => void },
): Promise<pg.Client> {
  const candidate = new pg.Client({
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
    query_timeout: 5_000,
    keepAlive: true,
  });
  candidate.on('error', onLost);
  candidate.on('end', onLost);
  candidate.on('notification', onNotification);
  try {
    await candidate.connect();
    await candidate.query(`listen ${NOTIFY_CHANNEL}`);
    await candidate.query(`listen ${SESSIONS_ENDED_CHANNEL}`);
    return candidate;
  } catch (error) {
    await candidate.end().catch(() => {});
    throw error;
  }
}

/** Hands a NOTIFY to the hub: ended sessions end their streams, notification payloads are delivered. */
function routeNotification(
  message: pg.Notification,
  { sink, logger, onPayload }: Pick<NotificationListenerOptions, 'sink' | 'logger' | 'onPayload'>,
) {
  if (message.channel === SESSIONS_ENDED_CHANNEL) {
    const ended = decodeSessionsEnded(message.payload);
    if (ended) sink.sessionsEnded(ended);
    return;
  }
  if (message.channel !== NOTIFY_CHANNEL) return;
  const payload = decodeNotifyPayload(message.payload);
  if (!payload) {
    logger.warn({ channel: message.channel }, 'ignored a notification payload this server did not write');
    return;
  }
  void sink.ingest(payload);
  onPayload?.(payload);
}
