import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppServices } from '@tickets/api';
import { createLocalDiskStorage, createNotificationHub, DEFAULT_MAX_UPLOAD_BYTES } from '@tickets/core';
import { createDatabase, type Database } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { createLogger } from './logger';
import { errorFields } from './testing/error-body';

type LogLine = Record<string, unknown> & { msg: string };

function captureLogs() {
  const lines: LogLine[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

let database: Database;
let storageDir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  storageDir = await mkdtemp(join(tmpdir(), 'tickets-app-test-'));
});
afterAll(async () => {
  await database.close();
  await rm(storageDir, { recursive: true, force: true });
});

function servicesOn(database: Database): AppServices {
  return {
    db: database.db,
    production: true,
    secureCookies: false,
    isDatabaseReady: () => database.isReady(),
    storage: createLocalDiskStorage(storageDir),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    notificationHub: createNotificationHub({ db: database.db }),
  };
}

describe('request logging', () => {
  it('given a request, then one line carries method, path without query, status, duration and request id', async () => {
    const { logger, lines } = captureLogs();
    const app = createApp({ services: servicesOn(database), logger });

    const response = await app.request('/healthz?probe=1');

    expect(response.status).toBe(200);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request',
        level: 'info',
        method: 'GET',
        path: '/healthz',
        status: 200,
        durationMs: expect.any(Number),
        requestId: response.headers.get('x-request-id'),
      }),
    ]);
  });
});

describe('health probes', () => {
  it('given a reachable database, then /healthz and /readyz answer 200', async () => {
    const app = createApp({ services: servicesOn(database) });
    expect((await app.request('/healthz')).status).toBe(200);
    expect(await (await app.request('/readyz')).json()).toEqual({ ok: true });
  });

  it('given the process drains, then /readyz answers 503 and responses close their connection', async () => {
    const app = createApp({ services: servicesOn(database), isDraining: () => true });

    const ready = await app.request('/readyz');
    const health = await app.request('/healthz');

    expect(ready.status).toBe(503);
    expect(health.status).toBe(200);
    expect(health.headers.get('connection')).toBe('close');
  });

  it('given an unreachable database, then /readyz answers 503 while /healthz still answers 200', async () => {
    const unreachable = await createDatabase({
      kind: 'postgres',
      url: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMs: 1_000,
    });
    try {
      const app = createApp({ services: servicesOn(unreachable) });
      expect((await app.request('/readyz')).status).toBe(503);
      expect((await app.request('/healthz')).status).toBe(200);
    } finally {
      await unreachable.close();
    }
  });
});

describe('unexpected errors', () => {
  it('given a route throws, then the client gets 500 with the request id only and the log has the stack', async () => {
    const { logger, lines } = captureLogs();
    const services: AppServices = {
      ...servicesOn(database),
      isDatabaseReady: () => Promise.reject(new Error('boom in /srv/secret/file.ts')),
    };
    const app = createApp({ services, logger });

    const response = await app.request('/readyz');

    expect(response.status).toBe(500);
    const body = await response.text();
    const requestId = response.headers.get('x-request-id');
    expect(errorFields(JSON.parse(body))).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      appCode: 'INTERNAL_SERVER_ERROR',
      message: 'Internal server error.',
      requestId,
    });
    expect(body).not.toContain('boom');
    const logged = lines.find((line) => line.msg === 'unexpected error');
    expect(logged).toMatchObject({
      level: 'error',
      requestId,
      err: { message: 'boom in /srv/secret/file.ts' },
    });
    expect(logged?.err).toMatchObject({ stack: expect.stringContaining('app.test.ts') });
  });

  it('given a procedure hits a database error, then the log has the cause and the client only the request id', async () => {
    const { logger, lines } = captureLogs();
    // A real SQL failure, as when migrations were not run: every table lookup fails.
    const services: AppServices = { ...servicesOn(database), db: database.db.withSchema('no_such_schema') };
    const app = createApp({ services, logger });

    const response = await app.request('/trpc/auth.me', { headers: { authorization: 'Bearer abc.def' } });

    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { json: { message: string; data: object } } };
    const requestId = response.headers.get('x-request-id');
    expect(body.error.json.message).toBe('Internal server error.');
    expect(body.error.json.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId });
    expect(JSON.stringify(body)).not.toContain('no_such_schema');
    expect(lines.find((line) => line.msg === 'procedure failed')).toMatchObject({
      level: 'error',
      requestId,
      procedure: 'auth.me',
      err: { message: expect.stringContaining('no_such_schema'), stack: expect.any(String) },
    });
  });
});
