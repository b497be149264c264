import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppServices, RequestLimits } from '@tickets/api';
import {
  createLocalDiskStorage,
  createNotificationHub,
  createPostgresRateLimiter,
  DEFAULT_MAX_UPLOAD_BYTES,
} from '@tickets/core';
import { createUser, createWorkspace, FACTORY_PASSWORD } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { errorFields } from '../testing/error-body';
import { listenOnFreePort } from '../testing/listen';
import { defaultHttpSecurity } from './http-security';

// Abuse limits through real listening servers (the client address is the socket's peer), two instances
// sharing one PostgreSQL and so one set of counters, as in production.

// Day-long windows: a fixed window that ended mid-test would reset a count and make the test flaky.
const DAY = 86_400;
const limits: RequestLimits = {
  signInPerAccount: { limit: 3, windowSeconds: DAY },
  signInPerAddress: { limit: 5, windowSeconds: DAY },
  perUser: { limit: 10, windowSeconds: DAY },
};

const database = await openTestDatabase();
const db = database.db;
const storageDir = await mkdtemp(join(tmpdir(), 'tickets-rate-limits-'));
const cleanups: Array<() => Promise<unknown> | unknown> = [
  () => database.close(),
  () => rm(storageDir, { recursive: true, force: true }),
];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startInstance(trustProxy = 0): Promise<string> {
  const notificationHub = createNotificationHub({ db });
  const services: AppServices = {
    db,
    production: true,
    secureCookies: false,
    isDatabaseReady: () => database.isReady(),
    storage: createLocalDiskStorage(storageDir),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    notificationHub,
    rateLimiter: createPostgresRateLimiter(db),
    requestLimits: limits,
  };
  const app = createApp({ services, security: { ...defaultHttpSecurity, trustProxy } });
  const listening = await listenOnFreePort(app);
  cleanups.push(() => {
    notificationHub.close();
    return listening.close();
  });
  return listening.url;
}

const [first, second, behindProxy] = [await startInstance(), await startInstance(), await startInstance(1)];

// Every test starts with fresh counters for the server's keys (the address is always 127.0.0.1 here).
beforeEach(async () => {
  await db.deleteFrom('rateLimits').where('key', 'not like', 'test:%').execute();
});

interface TrpcError {
  error: { json: { data: { code: string; appCode: string } } };
}

async function signIn(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${baseUrl}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: { email, password } }),
  });
  const body = (await response.json()) as Partial<TrpcError>;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

async function givenAccount() {
  const workspace = await createWorkspace(db);
  return createUser(db, { role: 'client', workspaceId: workspace.id });
}

const forgedAddress = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

describe('sign-in throttling', () => {
  it('given 3 failed sign-ins to one account spread over two instances, then the 4th answers TOO_MANY_REQUESTS with Retry-After, even with the right password', async () => {
    const { user } = await givenAccount();
    const sessionsOf = () => db.selectFrom('sessions').select('id').where('userId', '=', user.id).execute();
    const sessionsBefore = (await sessionsOf()).length;
    const statuses = [];
    for (const baseUrl of [first, second, first]) {
      statuses.push((await signIn(baseUrl, user.email, 'wrong password!')).status);
    }
    expect(statuses).toEqual([401, 401, 401]);

    const limited = await signIn(second, user.email.toUpperCase(), FACTORY_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.json.data).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      appCode: 'RATE_LIMITED',
    });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(DAY);
    expect(await sessionsOf()).toHaveLength(sessionsBefore);
  });

  // Finding 6 of the outside attack: ten wrong passwords from anywhere locked the owner out too.
  it("given a stranger exhausts an account's budget, then its owner still signs in from a device they used before, and the 429 says when to retry", async () => {
    const { user } = await givenAccount();
    const post = (input: Record<string, unknown>, headers: Record<string, string>) =>
      fetch(`${behindProxy}/trpc/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ json: input }),
      });
    const owner = { 'x-forwarded-for': forgedAddress() };
    const first = await post({ email: user.email, password: FACTORY_PASSWORD }, owner);
    expect(first.status).toBe(200);
    const deviceToken = ((await first.json()) as { result: { data: { json: { deviceToken: string } } } })
      .result.data.json.deviceToken;
    const deviceCookie = first.headers.getSetCookie().find((cookie) => cookie.startsWith('tickets_device='));
    expect(deviceCookie).toMatch(/HttpOnly/);

    for (let attempt = 0; attempt < 3; attempt += 1) {
      await post({ email: user.email, password: 'a guess' }, { 'x-forwarded-for': forgedAddress() });
    }
    const refused = await post(
      { email: user.email, password: FACTORY_PASSWORD },
      { 'x-forwarded-for': forgedAddress() },
    );
    expect(refused.status).toBe(429);
    const error = errorFields(await refused.json());
    expect(error.message).toMatch(/retry in \d+ (seconds|minutes)/);
    const forged = await post(
      { email: user.email, password: FACTORY_PASSWORD, deviceToken: `${randomUUID()}.forged` },
      { 'x-forwarded-for': forgedAddress() },
    );
    expect(forged.status).toBe(429);

    const byCookie = await post(
      { email: user.email, password: FACTORY_PASSWORD },
      { ...owner, cookie: deviceCookie!.split(';')[0]! },
    );
    expect(byCookie.status).toBe(200);
    const byToken = await post({ email: user.email, password: FACTORY_PASSWORD, deviceToken }, owner);
    expect(byToken.status).toBe(200);
  });

  it('given wrong passwords from a device that signed in before, then that device is limited too, on its own count', async () => {
    const { user } = await givenAccount();
    const post = (input: Record<string, unknown>) =>
      fetch(`${behindProxy}/trpc/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forgedAddress() },
        body: JSON.stringify({ json: input }),
      });
    const first = await post({ email: user.email, password: FACTORY_PASSWORD });
    const { deviceToken } = ((await first.json()) as { result: { data: { json: { deviceToken: string } } } })
      .result.data.json;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push((await post({ email: user.email, password: 'a guess', deviceToken })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Strangers were not counted by the device's failures: the account's own count has the one sign-in.
    expect((await post({ email: user.email, password: FACTORY_PASSWORD })).status).toBe(200);
  });

  it('given 5 sign-ins to different accounts from one address, each with a forged X-Forwarded-For, then the 6th is refused all the same', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      const baseUrl = i % 2 === 0 ? first : second;
      const email = `nobody-${randomUUID()}@example.test`;
      const result = await signIn(baseUrl, email, 'whatever it is', { 'x-forwarded-for': forgedAddress() });
      statuses.push(result.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('given TRUST_PROXY=1, then the address the proxy appended is the client: two clients have two budgets', async () => {
    const attempt = (client: string) =>
      signIn(behindProxy, `nobody-${randomUUID()}@example.test`, 'whatever it is', {
        // The client wrote the left entry itself; our one proxy appended the right one.
        'x-forwarded-for': `${forgedAddress()}, ${client}`,
      });
    for (let i = 0; i < 5; i += 1) expect((await attempt('198.51.100.7')).status).toBe(401);
    expect((await attempt('198.51.100.7')).status).toBe(429);
    expect((await attempt('198.51.100.8')).status).toBe(401);
  });

  it('given a batch of 5 sign-in calls to one account, then each call counts: 2 of them are refused', async () => {
    const { user } = await givenAccount();
    const calls = 5;
    const input = Object.fromEntries(
      Array.from({ length: calls }, (_, i) => [
        i,
        { json: { email: user.email, password: 'wrong password!' } },
      ]),
    );
    const response = await fetch(`${first}/trpc/${Array(calls).fill('auth.signIn').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const results = (await response.json()) as TrpcError[];
    // The calls of a batch run concurrently: which ones lose is not fixed, how many is.
    expect(results.map((result) => result.error.json.data.code).sort()).toEqual([
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
    ]);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('per-user request limit', () => {
  it('given a user at the limit (batched calls included, over two instances), then the next call answers TOO_MANY_REQUESTS with Retry-After', async () => {
    const { token } = await givenAccount();
    const headers = { authorization: `Bearer ${token}` };
    const batch = await fetch(`${first}/trpc/auth.me,auth.me,auth.me,auth.me?batch=1&input={}`, { headers });
    expect(batch.status).toBe(200);
    for (let i = 0; i < 6; i += 1) {
      expect((await fetch(`${i % 2 ? first : second}/trpc/auth.me`, { headers })).status).toBe(200);
    }
    const limited = await fetch(`${second}/trpc/auth.me`, { headers });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(DAY);
    // Another user is not affected.
    const other = await givenAccount();
    expect(
      (await fetch(`${first}/trpc/auth.me`, { headers: { authorization: `Bearer ${other.token}` } })).status,
    ).toBe(200);
  });

  it('given a user at the limit, then the attachment routes answer 429 with Retry-After too (one budget)', async () => {
    const { token } = await givenAccount();
    const headers = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 10; i += 1) {
      expect((await fetch(`${first}/trpc/auth.me`, { headers })).status).toBe(200);
    }
    const limited = await fetch(`${second}/api/attachments/${randomUUID()}`, { headers });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(errorFields(await limited.json()).appCode).toBe('RATE_LIMITED');
  });
});
