import { setTimeout as sleep } from 'node:timers/promises';
import type { Executor, NotificationFeedSink } from '@tickets/core';
import type { Logger } from '../logger';
import type { NotificationFeed } from './listener';

export interface PollingFeedOptions {
  db: Executor;
  sink: NotificationFeedSink;
  logger: Logger;
  intervalMs?: number;
}

/**
 * The feed of the embedded (PGlite) mode: one process, one connection, so transactions commit one after
 * the other and "every row after the last sequence number seen" is exactly what committed since.
 * (Several instances on PostgreSQL use the LISTEN listener instead: there, sequence numbers are handed
 * out before commit and can commit out of order.)
 */
export function startPollingFeed(options: PollingFeedOptions): NotificationFeed {
  const { db, sink, logger, intervalMs = 500 } = options;
  const stopped = new AbortController();

  async function latestSeq(): Promise<number> {
    const row = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return row?.seq == null ? 0 : Number(row.seq);
  }

  async function run() {
    let lastSeq: number | null = null;
    while (!stopped.signal.aborted) {
      try {
        if (lastSeq === null) lastSeq = await latestSeq();
        const rows = await db
          .selectFrom('notifications')
          .select(['id', 'seq'])
          .where('seq', '>', lastSeq)
          .orderBy('seq')
          .limit(500)
          .execute();
        const last = rows.at(-1);
        if (last) {
          lastSeq = last.seq;
          await sink.ingest({ ids: rows.map((row) => row.id) });
        }
        if (rows.length === 500) continue;
      } catch (error) {
        logger.warn({ err: error }, 'notification poll failed');
      }
      await sleep(intervalMs, undefined, { signal: stopped.signal }).catch(() => {});
    }
  }

  const running = run();
  return {
    async close() {
      stopped.abort();
      await running;
    },
  };
}
