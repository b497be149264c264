import type { NotificationRow } from '@tickets/db';

/** One open stream of the notification hub: where it is, what waits to be handed out, and its wake-up. */
export interface HubStream {
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

/** A stream starting after `afterSeq`, which it catches up from; `null` starts at the latest row instead. */
export function openHubStream(userId: string, includeInternal: boolean, afterSeq: number | null): HubStream {
  return {
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
}

export const wake = (stream: HubStream) => stream.wake?.();

/** Queues a live row for the stream, or, past `maxQueued`, drops its queue and has it catch up instead. */
export function offer(stream: HubStream, row: NotificationRow, maxQueued: number) {
  if (stream.queue.length >= maxQueued) {
    // A consumer this far behind gets its rows from the database when it catches up: memory stays bounded.
    stream.queue = [];
    stream.needsCatchUp = true;
  } else {
    stream.queue.push(row);
  }
  wake(stream);
}

/** The next row to hand out: the catch-up backlog first, then live rows. */
export const takeNextRow = (stream: HubStream) => stream.backlog.shift() ?? stream.queue.shift();

/** Notes a row as handed out: it is not handed out twice, and catch-up reads after it. */
export function remember(stream: HubStream, row: NotificationRow) {
  stream.recent.add(row.id);
  if (stream.recent.size > RECENT_IDS) {
    const oldest = stream.recent.values().next().value;
    if (oldest !== undefined) stream.recent.delete(oldest);
  }
  if (row.seq > stream.lastSeq) stream.lastSeq = row.seq;
}

/**
 * Waits until the stream is woken (a row, a resync, its end, the hub closing) or `ms` pass. Returns at
 * once when `isOver()` already holds: a stream that ended while it was busy elsewhere (a catch-up read in
 * flight) was woken when nobody waited, and waiting now would wait for a wake that may never come.
 */
export function pause(stream: HubStream, isOver: () => boolean, ms?: number): Promise<void> {
  if (isOver()) return Promise.resolve();
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
