import {
  announceAfterCommit,
  announcementsSettled,
  NOTIFY_CHANNEL,
  reportAnnouncementFailures,
} from '@tickets/core';
import { createDatabase } from '@tickets/db';
import { openTestDatabase, StatementCounter, testDatabaseUrl } from '@tickets/db/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

// core's sender (notifications/announcements.ts), heard the way this server hears it: a LISTEN connection
// of its own (core has no driver of its own to listen with).
const database = await openTestDatabase();
afterAll(() => database.close());

async function listen(): Promise<{ payloads: string[]; end(): Promise<void> }> {
  const listener = new pg.Client({ connectionString: testDatabaseUrl() });
  await listener.connect();
  const payloads: string[] = [];
  listener.on('notification', (message) => payloads.push(message.payload ?? ''));
  await listener.query(`listen ${NOTIFY_CHANNEL}`);
  return { payloads, end: () => listener.end() };
}

describe('announcements', () => {
  it('given many writes committing while a NOTIFY is being sent, then all are announced, in few statements', async () => {
    const counter = new StatementCounter();
    const db = database.db.withPlugin(counter);
    const listener = await listen();
    try {
      const payloads = Array.from({ length: 20 }, (_, index) => JSON.stringify({ seqRange: [index, index] }));

      for (const payload of payloads) announceAfterCommit(db, payload);
      await announcementsSettled(db);

      await expect.poll(() => listener.payloads.length).toBe(20);
      expect(listener.payloads).toEqual(payloads);
      // The first goes out at once; the 19 handed over while it was in flight go together.
      expect(counter.statements).toBe(2);
    } finally {
      await listener.end();
    }
  });

  it('given nothing to announce (an action that notified nobody), then no statement is sent', async () => {
    const counter = new StatementCounter();
    const db = database.db.withPlugin(counter);

    announceAfterCommit(db, null);
    await announcementsSettled(db);

    expect(counter.statements).toBe(0);
  });

  it('given the database is gone, then the announcement is tried three times, then reported, and the sender goes on', async () => {
    // Port 1 on loopback: nothing listens, every connection is refused at once.
    const gone = await createDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/gone' });
    let tries = 0;
    const db = gone.db.withPlugin({
      transformQuery: (args) => {
        tries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const failures: number[] = [];
    reportAnnouncementFailures(db, (_error, payloads) => failures.push(payloads));

    announceAfterCommit(db, JSON.stringify({ seqRange: [1, 1] }));
    await announcementsSettled(db);

    expect(tries).toBe(3);
    expect(failures).toEqual([1]);

    announceAfterCommit(db, JSON.stringify({ seqRange: [2, 2] }));
    await announcementsSettled(db);
    expect(tries).toBe(6);
    expect(failures).toEqual([1, 1]);
    await gone.close();
  });
});
