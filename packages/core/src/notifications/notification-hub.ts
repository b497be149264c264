import type { NotificationRow } from '@tickets/db';
import type { SessionsEnded } from '../auth/sessions-ended';
import { AppError } from '../errors';
import type { Executor } from '../shared/transaction';
import { createLiveStreams, defaultLiveStreamLimits, type LiveStreamLimits } from './live-streams';
import type { NotifyPayload } from './notify-payload';

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

interface Stream {
  readonly userId: string;
  readonly includeInternal: boolean;
  /** Highest sequence number handed out (or the starting point): catch-up reads after it. */
  lastSeq: number;
  /** Ids handed out lately: a row can come both live and from a catch-up read. */
  readonly recent: Set<string>;
  /** Rows read by catch-up; served before any live row, in order. */
  backlog: NotificationRow[];
  /** Live rows, in arrival order. */
  queue: NotificationRow[];
  needsCatchUp: boolean;
  ended: boolean;
  wake: (() => void) | null;
}

const RECENT_IDS = 1_000;

export function createNotificationHub(
  options: NotificationHubOptions,
): NotificationHub & NotificationFeedSink {
  const { db, pageSize = 100, maxQueued = 500, retryDelayMs = 1_000, onError = () => {} } = options;
  const leases = createLiveStreams(db, options.streamLimits ?? defaultLiveStreamLimits, onError);
  const streamsByUser = new Map<string, Set<Stream>>();
  let streamCount = 0;
  let closed = false;

  const wake = (stream: Stream) => stream.wake?.();

  function register(stream: Stream) {
    let streams = streamsByUser.get(stream.userId);
    if (!streams) {
      streams = new Set();
      streamsByUser.set(stream.userId, streams);
    }
    streams.add(stream);
    streamCount += 1;
  }

  function unregister(stream: Stream) {
    const streams = streamsByUser.get(stream.userId);
    if (!streams?.delete(stream)) return;
    streamCount -= 1;
    if (streams.size === 0) streamsByUser.delete(stream.userId);
  }

  function push(stream: Stream, row: NotificationRow) {
    if (stream.queue.length >= maxQueued) {
      // A consumer this far behind gets its rows from the database when it catches up: memory stays bounded.
      stream.queue = [];
      stream.needsCatchUp = true;
    } else {
      stream.queue.push(row);
    }
    wake(stream);
  }

  function remember(stream: Stream, row: NotificationRow) {
    stream.recent.add(row.id);
    if (stream.recent.size > RECENT_IDS) {
      const oldest = stream.recent.values().next().value;
      if (oldest !== undefined) stream.recent.delete(oldest);
    }
    if (row.seq > stream.lastSeq) stream.lastSeq = row.seq;
  }

  function readPage(stream: Stream, afterSeq: number) {
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

  async function latestSeq(userId: string): Promise<number> {
    const row = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('userId', '=', userId)
      .executeTakeFirst();
    return row?.seq == null ? 0 : Number(row.seq);
  }

  function pause(stream: Stream, ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      stream.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      stream.wake = null;
    });
  }

  async function* subscribe(
    userId: string,
    { afterSeq, includeInternal, sessionId = null, signal: requestSignal }: SubscribeOptions,
  ): AsyncGenerator<NotificationRow> {
    if (closed) throw shuttingDown();
    const lease = leases.open(userId, sessionId);
    const signal = requestSignal ? AbortSignal.any([requestSignal, lease.signal]) : lease.signal;
    const stream: Stream = {
      userId,
      includeInternal,
      lastSeq: afterSeq ?? 0,
      recent: new Set(),
      backlog: [],
      queue: [],
      needsCatchUp: afterSeq !== null,
      ended: false,
      wake: null,
    };
    const end = () => {
      stream.ended = true;
      wake(stream);
    };
    // Registered before the first read, so nothing committed meanwhile slips between the read and live.
    register(stream);
    signal.addEventListener('abort', end, { once: true });
    try {
      if (afterSeq === null) stream.lastSeq = await latestSeq(userId);
      while (!stream.ended && !signal.aborted) {
        if (closed) throw shuttingDown();
        if (stream.needsCatchUp && stream.backlog.length === 0) {
          stream.needsCatchUp = false;
          try {
            stream.backlog = await readPage(stream, stream.lastSeq);
          } catch (error) {
            onError(error, 'notification catch-up read failed');
            stream.needsCatchUp = true;
            await pause(stream, retryDelayMs);
            continue;
          }
          // A full page may have more behind it: read again once this one is served, before live rows.
          if (stream.backlog.length === pageSize) stream.needsCatchUp = true;
        }
        const row = stream.backlog.shift() ?? stream.queue.shift();
        if (!row) {
          await pause(stream);
          continue;
        }
        if (stream.recent.has(row.id)) continue;
        remember(stream, row);
        yield row;
      }
      if (lease.revoked) throw sessionEnded();
    } finally {
      signal.removeEventListener('abort', end);
      unregister(stream);
      lease.release();
    }
  }

  /** Reads the rows a batch of NOTIFYs names, in one query, and hands each to its recipient's streams. */
  async function deliver(batch: NotifyPayload[]) {
    if (streamCount === 0) return;
    const ids = batch.flatMap((payload) => ('ids' in payload ? payload.ids : []));
    const ranges = batch.flatMap((payload) => ('seqRange' in payload ? [payload.seqRange] : []));
    const rows = await db
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
    for (const row of rows) {
      for (const stream of streamsByUser.get(row.userId) ?? []) {
        if (!row.internal || stream.includeInternal) push(stream, row);
      }
    }
  }

  // NOTIFYs that arrive while a delivery query runs (or waits for a pooled connection) wait here and go
  // out together in the next query: under a burst of writes the hub runs one query per round, not one
  // per NOTIFY, so live delivery keeps up instead of falling further behind.
  let pending: NotifyPayload[] = [];
  let draining: Promise<void> | null = null;

  async function drain() {
    try {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        try {
          await deliver(batch);
        } catch (error) {
          // The rows are committed: streams read them back from the database instead.
          onError(error, 'notification delivery failed');
          resync();
        }
      }
    } finally {
      // Cleared in the same turn as the loop's last check: a NOTIFY arriving later starts a new drain.
      draining = null;
    }
  }

  function resync() {
    // NOTIFYs about ended sessions may have been missed too.
    leases.verify().catch((error: unknown) => onError(error, 'live stream session check failed'));
    for (const streams of streamsByUser.values()) {
      for (const stream of streams) {
        stream.needsCatchUp = true;
        wake(stream);
      }
    }
  }

  return {
    subscribe,
    get size() {
      return streamCount;
    },
    ingest(payload) {
      pending.push(payload);
      draining ??= drain();
      return draining;
    },
    resync,
    sessionsEnded: leases.sessionsEnded,
    verifySessions: leases.verify,
    close() {
      closed = true;
      leases.close();
      for (const streams of streamsByUser.values()) for (const stream of streams) wake(stream);
    },
  };
}

const sessionEnded = () =>
  new AppError('SESSION_ENDED', 'Your session ended (signed out, or your account changed); sign in again.');

const shuttingDown = () =>
  new AppError('SHUTTING_DOWN', 'This server is shutting down; reconnect to resume the stream.');
