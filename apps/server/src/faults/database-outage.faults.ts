import type { Database } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectAdmin,
  countExisting,
  createRequesters,
  runLoad,
  type ServerProcess,
  spawnServer,
  terminateTestDatabaseBackends,
  waitFor,
} from './testing/harness';

// The database goes away under load: every backend of the test database is terminated, again and
// again, while 20 clients create tickets and post messages against the real server process. The
// notification LISTEN connection is among the backends cut; its own recovery (reconnect, replay of
// what was committed meanwhile) is proven by notifications/listener.test.ts.

const CLIENTS = 20;
const LOAD_MS = 10_000;
const OUTAGE_STARTS_MS = 2_000;
const OUTAGE_ENDS_MS = 7_000;
const KILL_EVERY_MS = 250;

let database: Database;
let admin: pg.Client;
let server: ServerProcess;

beforeAll(async () => {
  database = await openTestDatabase();
  admin = await connectAdmin();
  server = await spawnServer();
});
afterAll(async () => {
  await server?.stop();
  await admin?.end();
  await database?.close();
});

describe('the server while its database connections are cut', () => {
  it('given 20 clients writing while every backend is terminated repeatedly, then answers are 200 or a clean 503, the process survives, it recovers by itself and no success is lost', async () => {
    const requesters = await createRequesters(database.db, CLIENTS);
    const started = Date.now();
    const load = runLoad(server.base, requesters, () => Date.now() - started > LOAD_MS);

    let terminated = 0;
    let lastKill = 0;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_STARTS_MS));
    while (Date.now() - started < OUTAGE_ENDS_MS) {
      terminated += await terminateTestDatabaseBackends(admin);
      lastKill = Date.now();
      await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
    }
    const result = await load;
    // The database is back: the server notices by itself, without a restart.
    const recoveredInMs = await waitFor(
      async () => (await fetch(`${server.base}/readyz`)).status === 200,
      10_000,
    );

    const statuses = result.answers.map((answer) => answer.status);
    const outageAnswers = result.answers.filter((answer) => answer.status === 503);
    console.info(
      `database outage: ${terminated} backends terminated; ${result.answers.length} answers ` +
        `(${outageAnswers.length} × 503), ${result.unansweredSentAt.length} unanswered; ` +
        `${result.ticketIds.length} tickets and ${result.messageIds.length} messages acknowledged; ` +
        `ready ${recoveredInMs} ms after the load (the last cut was ${Date.now() - lastKill} ms ago)`,
    );

    expect(terminated).toBeGreaterThan(0);
    expect(result.unansweredSentAt).toEqual([]);
    // 404: the attachment that never existed, when the database answers.
    expect(new Set(statuses)).toEqual(new Set([200, 404, 503]));
    expect(outageAnswers.every((answer) => answer.appCode === 'DATABASE_UNAVAILABLE')).toBe(true);
    // Both surfaces felt the outage: tRPC and the plain HTTP attachment route.
    expect(new Set(outageAnswers.map((answer) => answer.route))).toEqual(new Set(['trpc', 'attachments']));
    expect(server.child.exitCode).toBeNull();
    expect(server.lines.filter((line) => line.level === 'fatal')).toEqual([]);

    // Every acknowledged write is really there.
    expect(await countExisting(database.db, 'tickets', result.ticketIds)).toBe(result.ticketIds.length);
    expect(await countExisting(database.db, 'messages', result.messageIds)).toBe(result.messageIds.length);

    // And it serves normally after the outage.
    const after = await runLoad(
      server.base,
      requesters.slice(0, 2),
      (() => {
        let rounds = 0;
        return () => rounds++ >= 2;
      })(),
    );
    expect(after.answers.map((answer) => answer.status)).not.toContain(503);
    expect(after.ticketIds.length).toBeGreaterThan(0);
  }, 60_000);
});
