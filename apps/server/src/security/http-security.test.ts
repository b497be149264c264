import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppServices, SESSION_COOKIE } from '@tickets/api';
import { createLocalDiskStorage, createNotificationHub, DEFAULT_MAX_UPLOAD_BYTES } from '@tickets/core';
import { createUser, createWorkspace, type TestUser } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { errorFields } from '../testing/error-body';
import { clientAddress, defaultHttpSecurity, type HttpSecurityOptions } from './http-security';

// The HTTP-level defences, through the whole app in process (app.request): CSRF on every state-changing
// route, security headers, CORS for the allowed origins only, the /trpc body and batch limits.

const database = await openTestDatabase();
const db = database.db;
const storageDir = await mkdtemp(join(tmpdir(), 'tickets-http-security-'));
const services: AppServices = {
  db,
  production: true,
  secureCookies: false,
  isDatabaseReady: () => database.isReady(),
  storage: createLocalDiskStorage(storageDir),
  maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
  notificationHub: createNotificationHub({ db }),
};
afterAll(async () => {
  services.notificationHub.close();
  await database.close();
  await rm(storageDir, { recursive: true, force: true });
});

const ALLOWED = 'https://app.example.test';
const app = (security: Partial<HttpSecurityOptions> = {}) =>
  createApp({ services, security: { ...defaultHttpSecurity, allowedOrigins: [ALLOWED], ...security } });
const HOST = 'tickets.example.test';

async function givenWriter(): Promise<TestUser> {
  const workspace = await createWorkspace(db);
  return createUser(db, { role: 'writer', workspaceId: workspace.id });
}

const ticketCount = async (user: TestUser) =>
  Number(
    (
      await db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('createdBy', '=', user.user.id)
        .executeTakeFirstOrThrow()
    ).n,
  );

const ticketJson = JSON.stringify({ json: { title: 'Forged', description: 'Sent by another site.' } });

/** A tickets.create mutation as a browser would send it, with the writer's cookie. */
function createTicketRequest(
  writer: TestUser,
  headers: Record<string, string>,
  body: string = ticketJson,
  contentType = 'application/json',
) {
  return new Request(`http://${HOST}/trpc/tickets.create`, {
    method: 'POST',
    headers: {
      host: HOST,
      cookie: `${SESSION_COOKIE}=${writer.token}`,
      'content-type': contentType,
      ...headers,
    },
    body,
  });
}

describe('CSRF: cookie-authenticated state changes only from our origin or an allowed one', () => {
  it.each([
    ['a JSON mutation with a foreign Origin', { origin: 'https://evil.example' }, 'application/json'],
    ['a text/plain mutation (no preflight)', { origin: 'https://evil.example' }, 'text/plain'],
    [
      'a multipart/form-data mutation (no preflight)',
      { origin: 'https://evil.example' },
      'multipart/form-data; boundary=x',
    ],
    ['Sec-Fetch-Site cross-site, no Origin', { 'sec-fetch-site': 'cross-site' }, 'application/json'],
    ['Sec-Fetch-Site same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }, 'application/json'],
    ['a malformed Origin', { origin: 'null' }, 'application/json'],
  ])('given %s, then 403 CROSS_SITE_REQUEST and nothing is written', async (_, headers, contentType) => {
    const writer = await givenWriter();
    const response = await app().request(createTicketRequest(writer, headers, ticketJson, contentType));
    expect(response.status).toBe(403);
    expect(errorFields(await response.json())).toEqual({
      code: 'FORBIDDEN',
      appCode: 'CROSS_SITE_REQUEST',
      message: expect.any(String),
      requestId: response.headers.get('x-request-id'),
    });
    expect(await ticketCount(writer)).toBe(0);
  });

  it.each([
    ['our own origin', { origin: `https://${HOST}`, 'sec-fetch-site': 'same-origin' }],
    ['our own origin, Origin only (older browser)', { origin: `https://${HOST}` }],
    ['an allowed origin (ALLOWED_ORIGINS)', { origin: ALLOWED, 'sec-fetch-site': 'same-site' }],
    ['a program (neither Origin nor Sec-Fetch-Site)', {}],
  ])('given %s, then the mutation runs', async (_, headers) => {
    const writer = await givenWriter();
    const response = await app().request(createTicketRequest(writer, headers));
    expect(response.status).toBe(200);
    expect(await ticketCount(writer)).toBe(1);
  });

  it('given a bearer token, then a foreign Origin does not matter (browsers never add the header themselves)', async () => {
    const writer = await givenWriter();
    const request = createTicketRequest(writer, {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
      authorization: `Bearer ${writer.token}`,
    });
    const response = await app().request(request);
    expect(response.status).toBe(200);
    expect(await ticketCount(writer)).toBe(1);
  });

  it('given the default configuration (no ALLOWED_ORIGINS), then even the formerly allowed origin is refused', async () => {
    const writer = await givenWriter();
    const response = await app({ allowedOrigins: [] }).request(
      createTicketRequest(writer, { origin: ALLOWED }),
    );
    expect(response.status).toBe(403);
  });

  it('given the upload route with a foreign Origin, then the same check refuses it', async () => {
    const writer = await givenWriter();
    const response = await app().request(
      new Request(`http://${HOST}/api/attachments`, {
        method: 'POST',
        headers: {
          host: HOST,
          cookie: `${SESSION_COOKIE}=${writer.token}`,
          origin: 'https://evil.example',
          'content-type': 'multipart/form-data; boundary=x',
        },
        body: '--x--\r\n',
      }),
    );
    expect(response.status).toBe(403);
    expect(errorFields(await response.json()).appCode).toBe('CROSS_SITE_REQUEST');
  });

  it('given a cross-site GET query, then it is answered: queries are GET and change nothing', async () => {
    const writer = await givenWriter();
    const response = await app().request(
      `http://${HOST}/trpc/tickets.list?input=${encodeURIComponent('{"json":{}}')}`,
      {
        headers: { host: HOST, cookie: `${SESSION_COOKIE}=${writer.token}`, 'sec-fetch-site': 'cross-site' },
      },
    );
    expect(response.status).toBe(200);
    // A mutation cannot be reached with GET at all.
    const viaGet = await app().request(
      `http://${HOST}/trpc/tickets.create?input=${encodeURIComponent(ticketJson)}`,
      { headers: { host: HOST, cookie: `${SESSION_COOKIE}=${writer.token}` } },
    );
    expect(viaGet.status).toBe(405);
    expect(await ticketCount(writer)).toBe(0);
  });
});

describe('security headers', () => {
  it.each(['/healthz', '/trpc/auth.me', '/no-such-route', '/api/attachments/not-an-id'])(
    'given %s, then the response carries the security headers',
    async (path) => {
      const response = await app().request(path);
      expect(Object.fromEntries(response.headers)).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'cross-origin-resource-policy': 'same-origin',
      });
    },
  );
});

describe('CORS', () => {
  const preflight = (origin: string, security?: Partial<HttpSecurityOptions>) =>
    app(security).request('/trpc/tickets.create', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('given an allowed origin, then it gets CORS with credentials for exactly that origin', async () => {
    const response = await preflight(ALLOWED);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('given any other origin, or the default configuration, then no CORS header at all', async () => {
    for (const response of [
      await preflight('https://evil.example'),
      await preflight(ALLOWED, { allowedOrigins: [] }),
    ]) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

describe('/trpc request limits', () => {
  it('given a body over the limit, then 413 PAYLOAD_TOO_LARGE before tRPC parses it, and nothing is written', async () => {
    const writer = await givenWriter();
    const big = JSON.stringify({ json: { title: 'Big', description: 'x'.repeat(20_000) } });
    const response = await app({ maxTrpcBodyBytes: 10_000 }).request(
      createTicketRequest(writer, { authorization: `Bearer ${writer.token}` }, big),
    );
    expect(response.status).toBe(413);
    expect(errorFields(await response.json())).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      requestId: response.headers.get('x-request-id'),
    });
    expect(await ticketCount(writer)).toBe(0);
  });

  it('given a batch over the maximum, then BAD_REQUEST and no call runs; at the maximum, every call runs', async () => {
    const batch = (size: number) =>
      app({ maxBatchSize: 5 }).request(`/trpc/${Array(size).fill('auth.me').join(',')}?batch=1&input={}`);
    const over = await batch(6);
    expect(over.status).toBe(400);
    expect(JSON.stringify(await over.json())).toContain('BAD_REQUEST');
    const atMax = await batch(5);
    expect(atMax.status).toBe(200);
    expect(await atMax.json()).toHaveLength(5);
  });
});

describe('the client address used by the limits', () => {
  const peer = '192.0.2.10';
  const addressOf = async (trustProxy: number, forwardedFor?: string) => {
    const response = await new Hono()
      .get('/', (c) => c.text(String(clientAddress(c, trustProxy))))
      .request(
        '/',
        { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} },
        {
          incoming: { socket: { remoteAddress: peer } },
        },
      );
    return response.text();
  };

  it.each([
    ['no proxy trusted: X-Forwarded-For is ignored', 0, '198.51.100.1', peer],
    ['one proxy: the entry it appended (rightmost)', 1, '203.0.113.9, 198.51.100.1', '198.51.100.1'],
    [
      'two proxies: the entry the outer one appended',
      2,
      '203.0.113.9, 198.51.100.1, 10.0.0.2',
      '198.51.100.1',
    ],
    ['fewer entries than proxies: none is ours, the peer counts', 2, '203.0.113.9', peer],
    ['a trusted proxy but no header: the peer', 1, undefined, peer],
  ])('%s', async (_, trustProxy, forwardedFor, expected) => {
    expect(await addressOf(trustProxy, forwardedFor)).toBe(expected);
  });
});
