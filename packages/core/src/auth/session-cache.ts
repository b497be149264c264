import { LRUCache } from 'lru-cache';
import type { Actor } from '../policy/actor';
import type { SessionsEnded } from './sessions-ended';

/** What a session check learns from the database, kept so the next calls need not ask again. */
export interface CachedSession {
  readonly secretHash: Uint8Array;
  readonly expiresAt: Date;
  readonly actor: Actor;
}

export interface SessionCache {
  get(sessionId: string): CachedSession | undefined;
  /**
   * Keeps what a database read started at `readStartedAt` found, unless a session ended meanwhile: a
   * read racing a sign-out must not put the ended session back for a whole lifetime.
   */
  set(sessionId: string, session: CachedSession, readStartedAt: number): void;
  /** Drops what ended (this instance's change at once; other instances' by NOTIFY). */
  forget(ended: SessionsEnded): void;
}

export interface SessionCacheOptions {
  /**
   * How long a checked session is trusted without asking the database: the longest a session ended on
   * another instance stays usable here if the NOTIFY saying so was lost (normally it arrives in ms).
   */
  ttlMs: number;
  /** Sessions kept at most (least recently used go first). */
  max: number;
}

export const defaultSessionCacheOptions: SessionCacheOptions = { ttlMs: 10_000, max: 50_000 };

/**
 * Sessions checked lately, in this process (lru-cache, bounded in size and age). Every signed-in call
 * used to read (and write) the database before anything else; now a call within `ttlMs` of the last
 * check of its session costs none. The secret is still compared in constant time on every call.
 */
export function createSessionCache(options: SessionCacheOptions = defaultSessionCacheOptions): SessionCache {
  const sessions = new LRUCache<string, CachedSession>({ max: options.max, ttl: options.ttlMs });
  let lastForgetAt = 0;
  return {
    get: (sessionId) => sessions.get(sessionId),
    set(sessionId, session, readStartedAt) {
      if (readStartedAt > lastForgetAt) sessions.set(sessionId, session);
    },
    forget(ended) {
      lastForgetAt = performance.now();
      if ('sessionId' in ended) {
        sessions.delete(ended.sessionId);
        return;
      }
      for (const [sessionId, session] of sessions.entries()) {
        if (session.actor.id === ended.userId) sessions.delete(sessionId);
      }
    },
  };
}
