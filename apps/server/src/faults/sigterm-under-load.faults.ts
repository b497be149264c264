import { once } from 'node:events';
import { connect } from 'node:net';
import type { Database } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countExisting, createRequesters, runLoad, type ServerProcess, spawnServer } from './testing/harness';

// A deploy: the real server process gets SIGTERM while 20 clients write and a live notification
// stream is open. It must finish what it accepted, say it is not ready, end the stream, and exit 0.

const CLIENTS = 20;
const LOAD_BEFORE_SIGTERM_MS = 2_500;
/** A request sent this close to the signal may still be racing the listener's close: not judged. */
const RACE_MARGIN_MS = 200;

let database: Database;
let server: ServerProcess;

beforeAll(async () => {
  database = await openTestDatabase();
  server = await spawnServer({ SHUTDOWN_TIMEOUT_MS: '20000' });
});
afterAll(async () => {
  await server?.stop();
  await database?.close();
});

/** Reads a live notification stream to its end; resolves with how it ended. */
async function openStream(base: string, token: string) {
  const input = encodeURIComponent(JSON.stringify({ json: {} }));
  const response = await fetch(`${base}/trpc/notifications.onNotification?input=${input}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const ended = (async () => {
    try {
      for (;;) if ((await reader.read()).done) return 'ended' as const;
    } catch (error) {
      return `failed: ${String(error)}` as const;
    }
  })();
  return { ended };
}

/**
 * A /readyz request whose head is only half sent: the connection counts as busy, so the closing server
 * keeps it, and the request is answered once the rest arrives — during the drain.
 */
async function halfSentReadyz(base: string) {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n');
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk;
  });
  return {
    async finish(): Promise<string> {
      socket.end('Connection: close\r\n\r\n');
      await once(socket, 'close');
      return received;
    },
  };
}

describe('SIGTERM while serving load', () => {
  it('given 20 writing clients and an open notification stream, when SIGTERM arrives, then accepted requests succeed, /readyz answers 503, the stream ends, the process exits 0 and every success is stored', async () => {
    const requesters = await createRequesters(database.db, CLIENTS);
    const stream = await openStream(server.base, requesters[0]!.token);
    const readyz = await halfSentReadyz(server.base);

    let sigtermAt = Number.POSITIVE_INFINITY;
    const load = runLoad(server.base, requesters, () => Date.now() > sigtermAt);
    await new Promise((resolve) => setTimeout(resolve, LOAD_BEFORE_SIGTERM_MS));
    sigtermAt = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const readyzWhileDraining = await readyz.finish();

    const [result, exit, streamEnd] = await Promise.all([load, server.exited, stream.ended]);
    console.info(
      `SIGTERM under load: ${result.answers.length} answers, ${result.unansweredSentAt.length} refused after the signal; ` +
        `${result.ticketIds.length} tickets and ${result.messageIds.length} messages acknowledged; exit ${exit.code}`,
    );

    expect(readyzWhileDraining).toMatch(/^HTTP\/1\.1 503/);
    expect(streamEnd).toBe('ended');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(server.lines.find((line) => line.msg === 'stopped')).toMatchObject({ outcome: 'drained' });
    expect(server.lines.filter((line) => line.level === 'fatal' || line.level === 'error')).toEqual([]);

    // Whatever was answered is a success (404: the attachment that never existed); nothing sent
    // before the signal went unanswered.
    expect(result.answers.length).toBeGreaterThan(CLIENTS);
    expect(new Set(result.answers.map((answer) => answer.status))).toEqual(new Set([200, 404]));
    expect(result.unansweredSentAt.filter((sentAt) => sentAt < sigtermAt - RACE_MARGIN_MS)).toEqual([]);

    expect(await countExisting(database.db, 'tickets', result.ticketIds)).toBe(result.ticketIds.length);
    expect(await countExisting(database.db, 'messages', result.messageIds)).toBe(result.messageIds.length);
  }, 90_000);
});
