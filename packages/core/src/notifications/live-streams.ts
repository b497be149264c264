import type { SessionsEnded } from '../auth/sessions-ended';
import { AppError } from '../errors';
import type { Executor } from '../shared/transaction';

export interface LiveStreamLimits {
  /** Open streams one user may hold on this instance (a browser tab each, a few programs). */
  maxPerUser: number;
  /** Open streams this instance holds in all. */
  maxTotal: number;
  /**
   * How often the sessions behind open streams are checked against the database: the longest a stream
   * can outlive its session if the message that it ended was lost (the listener was reconnecting).
   */
  verifyEveryMs: number;
}

export const defaultLiveStreamLimits: LiveStreamLimits = {
  maxPerUser: 10,
  maxTotal: 10_000,
  verifyEveryMs: 10_000,
};

/** One open stream's hold on its place: aborts when its session ends; release it when the stream ends. */
export interface StreamLease {
  readonly signal: AbortSignal;
  /** True once the stream was ended because its session ended. */
  readonly revoked: boolean;
  release(): void;
}

export interface LiveStreams {
  /** Takes a place for a stream of `userId` (and its session), or throws TOO_MANY_STREAMS. */
  open(userId: string, sessionId: string | null): StreamLease;
  /** Ends the streams of what ended, at once (this instance's own change, or another's, by NOTIFY). */
  sessionsEnded(ended: SessionsEnded): void;
  /** Ends the streams whose session is gone from the database (the check behind lost messages). */
  verify(): Promise<void>;
  readonly size: number;
  close(): void;
}

interface Entry {
  userId: string;
  sessionId: string | null;
  controller: AbortController;
  revoked: boolean;
}

/**
 * The open live streams of this instance: the caps on them, and their end when their session ends.
 * Sessions end by sign-out, password or role change, or deactivation; the server hears of it at once
 * on its own instance and by NOTIFY on the others, and checks every `verifyEveryMs` in any case.
 */
export function createLiveStreams(
  db: Executor,
  limits: LiveStreamLimits = defaultLiveStreamLimits,
  onError: (error: unknown, context: string) => void = () => {},
): LiveStreams {
  const entries = new Set<Entry>();
  const perUser = new Map<string, number>();

  const revoke = (entry: Entry) => {
    entry.revoked = true;
    entry.controller.abort();
  };

  async function verify() {
    const sessionIds = [...new Set([...entries].flatMap((entry) => entry.sessionId ?? []))];
    if (sessionIds.length === 0) return;
    const live = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .select('sessions.id')
      .where('sessions.id', 'in', sessionIds)
      .where('sessions.expiresAt', '>', new Date())
      .where('users.isActive', '=', true)
      .execute();
    const alive = new Set(live.map((row) => row.id));
    for (const entry of entries) if (entry.sessionId && !alive.has(entry.sessionId)) revoke(entry);
  }

  const timer = setInterval(() => {
    verify().catch((error: unknown) => onError(error, 'live stream session check failed'));
  }, limits.verifyEveryMs);
  timer.unref();

  return {
    open: (userId, sessionId) => takePlace({ entries, perUser }, limits, userId, sessionId),
    sessionsEnded(ended) {
      for (const entry of entries) {
        if ('sessionId' in ended ? entry.sessionId === ended.sessionId : entry.userId === ended.userId) {
          revoke(entry);
        }
      }
    },
    verify,
    get size() {
      return entries.size;
    },
    close() {
      clearInterval(timer);
    },
  };
}

/**
 * A place for a stream of `userId` (and its session) among those held, or TOO_MANY_STREAMS when the user or
 * the instance holds its most; the lease gives the place back once, however often it is released.
 */
function takePlace(
  { entries, perUser }: { entries: Set<Entry>; perUser: Map<string, number> },
  limits: LiveStreamLimits,
  userId: string,
  sessionId: string | null,
): StreamLease {
  const held = perUser.get(userId) ?? 0;
  if (held >= limits.maxPerUser) {
    throw new AppError(
      'TOO_MANY_STREAMS',
      `You have ${held} live streams open here, the most allowed; close one (another tab or program) first.`,
      { retryAfterSeconds: 30 },
    );
  }
  if (entries.size >= limits.maxTotal) {
    throw new AppError('TOO_MANY_STREAMS', 'This server holds all the live streams it can; retry shortly.', {
      retryAfterSeconds: 30,
    });
  }
  const entry: Entry = { userId, sessionId, controller: new AbortController(), revoked: false };
  entries.add(entry);
  perUser.set(userId, held + 1);
  let released = false;
  return {
    signal: entry.controller.signal,
    get revoked() {
      return entry.revoked;
    },
    release() {
      if (released) return;
      released = true;
      entries.delete(entry);
      const left = (perUser.get(userId) ?? 1) - 1;
      if (left === 0) perUser.delete(userId);
      else perUser.set(userId, left);
    },
  };
}
