import type { NotificationRow } from '@tickets/db';
import type { SessionsEnded } from '../auth/sessions-ended';
import type { Executor } from '../shared/transaction';
import { offer, wake } from './hub-stream';
import { type HubContext, subscribeToNotifications } from './hub-subscription';
import { createLiveStreams, defaultLiveStreamLimits, type LiveStreamLimits } from './live-streams';
import { batchNotifies } from './notify-batches';
import type { NotifyPayload } from './notify-payload';
import { createStreamsByUser, type StreamsByUser } from './streams-by-user';

/**
 * Live notifications for the open streams of this process. One feed per process (a LISTEN connection,
 * see apps/server) tells the hub which notifications committed; the hub loads them (all that arrived
 * since its last read, in one query) and hands each to the streams of its recipient.
 */
export interface NotificationHub {
  /**
   * The notifications of `userId`: first every one after `afterSeq` (a stream that resumes), then each new
   * one as it commits, in order, never one twice, until `signal` aborts or the hub closes (then it throws
   * SHUTTING_DOWN, so clients reconnect elsewhere and resume).
   */
  subscribe(userId: string, options: SubscribeOptions): AsyncIterable<NotificationRow>;
  /** How many streams are open on this instance. */
  readonly size: number;
  /** Ends, with SESSION_ENDED, the streams of sessions that ended (heard on this instance or by NOTIFY). */
  sessionsEnded(ended: SessionsEnded): void;
  /** Ends, likewise, the streams whose session is no longer in the database. */
  verifySessions(): Promise<void>;
  /** Ends every stream; subscribing afterwards fails. */
  close(): void;
}

export interface SubscribeOptions {
  afterSeq: number | null;
  /** The session the stream was opened with: the stream ends when it does. */
  sessionId?: string | null;
  /** Whether the subscriber is staff: only staff receive notifications about internal notes and files. */
  includeInternal: boolean;
  signal?: AbortSignal;
}

/** What the feed calls. */
export interface NotificationFeedSink {
  /**
   * A NOTIFY arrived. Deliveries run one at a time, in arrival order; NOTIFYs that arrive meanwhile are
   * read together by the next one. Resolves once this payload's rows were handed to the streams.
   */
  ingest(payload: NotifyPayload): Promise<void>;
  /** The feed may have missed NOTIFYs (its connection dropped): every stream re-reads from where it is. */
  resync(): void;
  /** Sessions ended (on any instance): their streams end. */
  sessionsEnded(ended: SessionsEnded): void;
}

export interface NotificationHubOptions {
  db: Executor;
  /** Rows read per catch-up query. */
  pageSize?: number;
  /** Live rows one stream may hold before it drops them and catches up from the database instead. */
  maxQueued?: number;
  /** Wait before a stream retries a failed catch-up query. */
  retryDelayMs?: number;
  /** Caps on open streams, and how often their sessions are checked. */
  streamLimits?: LiveStreamLimits;
  onError?: (error: unknown, context: string) => void;
}

export function createNotificationHub(
  options: NotificationHubOptions,
): NotificationHub & NotificationFeedSink {
  const { db, pageSize = 100, maxQueued = 500, retryDelayMs = 1_000, onError = () => {} } = options;
  const leases = createLiveStreams(db, options.streamLimits ?? defaultLiveStreamLimits, onError);
  const streams = createStreamsByUser();
  let closed = false;
  const hub: HubContext = { db, leases, streams, pageSize, retryDelayMs, isClosed: () => closed, onError };

  function resync() {
    // NOTIFYs about ended sessions may have been missed too.
    leases.verify().catch((error: unknown) => onError(error, 'live stream session check failed'));
    for (const stream of streams.all()) {
      stream.needsCatchUp = true;
      wake(stream);
    }
  }

  const ingest = batchNotifies(
    async (batch) => {
      if (streams.size === 0) return;
      handToStreams(await readNotifiedRows(db, batch), streams, maxQueued);
    },
    (error) => {
      // The rows are committed: streams read them back from the database instead.
      onError(error, 'notification delivery failed');
      resync();
    },
  );

  return {
    subscribe: (userId, subscribeOptions) => subscribeToNotifications(hub, userId, subscribeOptions),
    get size() {
      return streams.size;
    },
    ingest,
    resync,
    sessionsEnded: leases.sessionsEnded,
    verifySessions: leases.verify,
    close() {
      closed = true;
      leases.close();
      for (const stream of streams.all()) wake(stream);
    },
  };
}

/** The rows a batch of NOTIFYs names, in one query, in commit order. */
function readNotifiedRows(db: Executor, batch: NotifyPayload[]) {
  const ids = batch.flatMap((payload) => ('ids' in payload ? payload.ids : []));
  const ranges = batch.flatMap((payload) => ('seqRange' in payload ? [payload.seqRange] : []));
  return db
    .selectFrom('notifications')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('id', 'in', ids)] : []),
        ...ranges.map(([from, to]) => eb.between('seq', from, to)),
      ]),
    )
    .orderBy('seq', 'asc')
    .execute();
}

/** Hands each row to its recipient's streams (internal ones only to streams that may see them). */
function handToStreams(rows: NotificationRow[], streams: StreamsByUser, maxQueued: number) {
  for (const row of rows) {
    for (const stream of streams.of(row.userId)) {
      if (!row.internal || stream.includeInternal) offer(stream, row, maxQueued);
    }
  }
}
