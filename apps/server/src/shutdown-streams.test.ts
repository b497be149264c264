import { Writable } from 'node:stream';
import { createUser, createWorkspace } from '@tickets/core/testing';
import { openTestDatabase, testDatabaseUrl } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { createLogger } from './logger';
import { startServer } from './server';

const database = await openTestDatabase();
afterAll(() => database.close());

/** Log lines as objects, for checking what a shutdown wrote. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', destination), lines };
}

async function openStream(port: number, token: string) {
  const input = encodeURIComponent(JSON.stringify({ json: {} }));
  const response = await fetch(`http://127.0.0.1:${port}/trpc/notifications.onNotification?input=${input}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  await reader.read(); // the stream is open once its first bytes arrive
  const ended = (async () => {
    while (!(await reader.read()).done) {
      /* drain until the server ends the stream */
    }
  })();
  return { ended };
}

describe('shutdown with live notification streams', () => {
  it('given three open streams, when the server stops, then they end at once, it drains well before the timeout, and no stack is logged', async () => {
    const { logger, lines } = capturingLogger();
    const env = loadEnv({ DATABASE_URL: testDatabaseUrl(), PORT: '0', SHUTDOWN_TIMEOUT_MS: '10000' });
    const server = await startServer(env, logger);
    const workspace = await createWorkspace(database.db);
    const user = await createUser(database.db, { role: 'client', workspaceId: workspace.id });
    const streams = await Promise.all([1, 2, 3].map(() => openStream(server.port, user.token)));

    const started = performance.now();
    const outcome = await server.stop();
    const stopMs = performance.now() - started;
    await Promise.all(streams.map((stream) => stream.ended));

    expect(outcome).toBe('drained');
    expect(stopMs).toBeLessThan(2_000);
    expect(lines.filter((line) => 'err' in line)).toEqual([]);
  });
});
