import type { NotificationRow } from '@tickets/db';
import { AppError } from '../errors';
import type { Executor } from '../shared/transaction';
import { type HubStream, openHubStream, pause, remember, takeNextRow, wake } from './hub-stream';
import type { LiveStreams } from './live-streams';
import type { SubscribeOptions } from './notification-hub';
import type { StreamsByUser } from './streams-by-user';

/** What a subscription needs of the hub that holds it. */
export interface HubContext {
  db: Executor;
  leases: LiveStreams;
  streams: StreamsByUser;
  /** Rows read per catch-up query. */
  pageSize: number;
  /** Wait before a stream retries a failed catch-up query. */
  retryDelayMs: number;
  isClosed: () => boolean;
  onError: (error: unknown, context: string) => void;
}

/** NotificationHub.subscribe: one stream's life, from its place among the live streams to its end. */
export async function* subscribeToNotifications(
  hub: HubContext,
  userId: string,
  { afterSeq, includeInternal, sessionId = null, signal: requestSignal }: SubscribeOptions,
): AsyncGenerator<NotificationRow> {
  if (hub.isClosed()) throw shuttingDown();
  const lease = hub.leases.open(userId, sessionId);
  const signal = requestSignal ? AbortSignal.any([requestSignal, lease.signal]) : lease.signal;
  const stream = openHubStream(userId, includeInternal, afterSeq);
  const end = () => {
    stream.ended = true;
    wake(stream);
  };
  // Registered before the first read, so nothing committed meanwhile slips between the read and live.
  hub.streams.add(stream);
  signal.addEventListener('abort', end, { once: true });
  try {
    if (afterSeq === null) stream.lastSeq = await latestSeq(hub.db, userId);
    yield* handOutRows(hub, stream, signal);
    if (lease.revoked) throw sessionEnded();
  } finally {
    signal.removeEventListener('abort', end);
    hub.streams.remove(stream);
    lease.release();
  }
}

/** Hands out the stream's rows, caught-up ones first, until it ends; throws SHUTTING_DOWN if the hub closes. */
async function* handOutRows(
  hub: HubContext,
  stream: HubStream,
  signal: AbortSignal,
): AsyncGenerator<NotificationRow> {
  const isOver = () => stream.ended || signal.aborted || hub.isClosed();
  while (!stream.ended && !signal.aborted) {
    if (hub.isClosed()) throw shuttingDown();
    if (stream.needsCatchUp && stream.backlog.length === 0) {
      await catchUp(hub, stream, isOver);
      // The stream may have ended while the read was in flight: look again before handing out what it read.
      continue;
    }
    const row = takeNextRow(stream);
    if (!row) {
      await pause(stream, isOver);
      continue;
    }
    if (stream.recent.has(row.id)) continue;
    remember(stream, row);
    yield row;
  }
}

/** Reads the page after the stream's position into its backlog; after a failure, waits before the retry. */
async function catchUp(hub: HubContext, stream: HubStream, isOver: () => boolean) {
  stream.needsCatchUp = false;
  try {
    stream.backlog = await readPageAfter(hub, stream, stream.lastSeq);
  } catch (error) {
    hub.onError(error, 'notification catch-up read failed');
    stream.needsCatchUp = true;
    await pause(stream, isOver, hub.retryDelayMs);
    return;
  }
  // A full page may have more behind it: read again once this one is served, before live rows.
  if (stream.backlog.length === hub.pageSize) stream.needsCatchUp = true;
}

function readPageAfter({ db, pageSize }: HubContext, stream: HubStream, afterSeq: number) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('userId', '=', stream.userId)
    .$if(!stream.includeInternal, (query) => query.where('internal', '=', false))
    .where('seq', '>', afterSeq)
    .orderBy('seq', 'asc')
    .limit(pageSize)
    .execute();
}

async function latestSeq(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row?.seq == null ? 0 : Number(row.seq);
}

const sessionEnded = () =>
  new AppError('SESSION_ENDED', 'Your session ended (signed out, or your account changed); sign in again.');

const shuttingDown = () =>
  new AppError('SHUTTING_DOWN', 'This server is shutting down; reconnect to resume the stream.');
