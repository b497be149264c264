import { once } from 'node:events';
import { type IncomingMessage, request } from 'node:http';
import { testDatabaseUrl } from '@tickets/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { createLogger } from './logger';
import { type RunningServer, startServer } from './server';

const silent = createLogger('silent');
let running: RunningServer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(shutdownTimeoutMs: number) {
  const env = loadEnv({
    DATABASE_URL: testDatabaseUrl(),
    PORT: '0',
    SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
  });
  running = await startServer(env, silent);
  return running;
}

/** A sign-in whose body is only half sent: the request stays in flight until `finish` is called. */
async function halfSentSignIn(server: RunningServer) {
  const arrived = once(server.http, 'request');
  const req = request({
    port: server.port,
    method: 'POST',
    path: '/trpc/auth.signIn',
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
  });
  // Settles with the error instead of rejecting: a cut connection fails before the test looks at it.
  const response = new Promise<IncomingMessage | Error>((resolve) => {
    req.on('response', resolve).on('error', resolve);
  });
  req.write('{"json":{"email":"nobody@example.test",');
  await arrived;
  return { response, finish: () => req.end('"password":"not the password"}}') };
}

describe('graceful shutdown', () => {
  it('given a request in flight, when stopping, then new connections are refused and it still gets its answer', async () => {
    const server = await start(10_000);
    const inFlight = await halfSentSignIn(server);

    const stopped = server.stop();
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    inFlight.finish();
    const response = await inFlight.response;

    expect(response).toMatchObject({
      statusCode: 401,
      headers: expect.objectContaining({ connection: 'close' }),
    });
    await expect(stopped).resolves.toBe('drained');
  });

  it('given a request that never ends, when stopping, then it is cut after SHUTDOWN_TIMEOUT_MS', async () => {
    const server = await start(300);
    const inFlight = await halfSentSignIn(server);
    const startedAt = performance.now();

    await expect(server.stop()).resolves.toBe('forced');

    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(await inFlight.response).toMatchObject({
      message: expect.stringMatching(/socket hang up|ECONNRESET/),
    });
  });
});
