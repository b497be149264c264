import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppServices, SESSION_COOKIE } from '@tickets/api';
import { createLocalDiskStorage, createNotificationHub, DEFAULT_MAX_UPLOAD_BYTES } from '@tickets/core';
import { createUser, createWorkspace, FACTORY_PASSWORD } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createLogger } from '../logger';

// What a client learns from failures (nothing internal, always a request id found in the logs) and
// from the session cookie and sign-in answers.

const database = await openTestDatabase();
const db = database.db;
const storageDir = await mkdtemp(join(tmpdir(), 'tickets-errors-sessions-'));
const hubs: Array<{ close(): void }> = [];
afterAll(async () => {
  for (const hub of hubs) hub.close();
  await database.close();
  await rm(storageDir, { recursive: true, force: true });
});

function services(overrides: Partial<AppServices> = {}): AppServices {
  const notificationHub = createNotificationHub({ db });
  hubs.push(notificationHub);
  return {
    db,
    production: true,
    secureCookies: true,
    isDatabaseReady: () => database.isReady(),
    storage: createLocalDiskStorage(storageDir),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    notificationHub,
    ...overrides,
  };
}

function captureLogs() {
  const lines: string[] = [];
  return { logger: createLogger('info', { write: (line: string) => void lines.push(line) }), lines };
}

// Anything that would tell an attacker about our internals: stack frames, SQL, the schema, PostgreSQL's
// error fields (constraint, routine, source file), our file paths.
const internals = [
  /stack/i,
  /\bat .+:\d+:\d+/,
  /select|insert|from "|where/i,
  /no_such_schema|relation|constraint|routine|parse_relation/i,
  /\.ts\b|\.js\b|node_modules|\/work\//,
];

describe('errors in production', () => {
  // A real SQL failure (every table lookup fails), as when the schema is missing.
  const broken = () => services({ db: db.withSchema('no_such_schema') });

  it.each([
    ['a tRPC procedure', '/trpc/auth.me'],
    ['the attachment download route', '/api/attachments/00000000-0000-4000-8000-000000000000'],
  ])(
    'given %s fails inside, then the body has no internals and carries the request id the log has',
    async (_, path) => {
      const { logger, lines } = captureLogs();
      const app = createApp({ services: broken(), logger });

      const response = await app.request(path, { headers: { authorization: 'Bearer abc.def' } });

      expect(response.status).toBe(500);
      const body = await response.text();
      for (const pattern of internals) expect(body).not.toMatch(pattern);
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch(/\S{8,}/);
      expect(body).toContain(requestId);
      const errorLines = lines.filter((line) => /"level":"error"/.test(line));
      expect(errorLines.length).toBeGreaterThan(0);
      for (const line of errorLines) expect(line).toContain(requestId);
    },
  );

  it('given an ordinary failure (NOT_FOUND, BAD_REQUEST), then it carries the request id too', async () => {
    const workspace = await createWorkspace(db);
    const { token } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const app = createApp({ services: services() });
    for (const path of [
      `/trpc/tickets.get?input=${encodeURIComponent('{"json":{"id":"00000000-0000-4000-8000-000000000000"}}')}`,
      `/trpc/tickets.get?input=${encodeURIComponent('{"json":{"id":"nope"}}')}`,
      '/api/attachments/00000000-0000-4000-8000-000000000000',
    ]) {
      const response = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      const body = await response.text();
      expect(body).toContain(response.headers.get('x-request-id'));
      expect(body).not.toMatch(/stack|node_modules|\.ts\b/);
    }
  });
});

describe('session cookie', () => {
  async function signInCookie(secureCookies: boolean) {
    const workspace = await createWorkspace(db);
    const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const response = await createApp({ services: services({ secureCookies }) }).request('/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: user.email, password: FACTORY_PASSWORD } }),
    });
    expect(response.status).toBe(200);
    return response.headers.get('set-cookie') ?? '';
  }

  it('given a sign-in behind TLS (SECURE_COOKIES), then the cookie is HttpOnly, Secure, SameSite=Lax, Path=/ with an expiry', async () => {
    const cookie = await signInCookie(true);
    const [pair, ...attributes] = cookie.split(/;\s*/);
    expect(pair).toMatch(new RegExp(`^${SESSION_COOKIE}=\\S+`));
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/']));
    expect(attributes.some((attribute) => attribute.startsWith('Expires='))).toBe(true);
    expect(attributes.some((attribute) => /^Domain=/i.test(attribute))).toBe(false);
  });

  it('given plain HTTP (SECURE_COOKIES=false), then the cookie is not Secure but still HttpOnly and SameSite=Lax', async () => {
    const attributes = (await signInCookie(false)).split(/;\s*/);
    expect(attributes).not.toContain('Secure');
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax']));
  });
});

describe('sign-in answers', () => {
  const app = createApp({ services: services() });
  async function attempt(email: string, password: string) {
    const started = performance.now();
    const response = await app.request('/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email, password } }),
    });
    const elapsed = performance.now() - started;
    const body = (await response.json()) as { error: { json: { data: Record<string, unknown> } } };
    const { requestId: _, ...data } = body.error.json.data;
    return {
      status: response.status,
      body: { ...body.error.json, data },
      elapsed,
      cookie: response.headers.get('set-cookie'),
    };
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

  it('given an unknown e-mail and a wrong password, then the answers are identical and cost about the same (argon2 runs in both)', async () => {
    const workspace = await createWorkspace(db);
    const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const unknown = [];
    const wrong = [];
    // Interleaved, so a slow moment of this shared machine weighs on both sides alike.
    for (let i = 0; i < 5; i += 1) {
      unknown.push(await attempt(`nobody-${i}-${user.email}`, 'a wrong password'));
      wrong.push(await attempt(user.email, 'a wrong password'));
    }
    expect(unknown[0]?.body).toEqual(wrong[0]?.body);
    expect(unknown[0]?.status).toBe(wrong[0]?.status);
    expect(unknown.every((a) => a.cookie === null) && wrong.every((a) => a.cookie === null)).toBe(true);
    // Loose on purpose: without the decoy hash an unknown e-mail answers ~10× faster (no argon2 at all).
    const [unknownMs, wrongMs] = [median(unknown.map((a) => a.elapsed)), median(wrong.map((a) => a.elapsed))];
    expect(unknownMs).toBeGreaterThan(wrongMs * 0.35);
  });

  it('given a sign-up, then the stored hash is argon2id with at least OWASP parameters (19 MiB, 2 passes, 1 lane)', async () => {
    const workspace = await createWorkspace(db, { allowSignUp: true });
    const email = `argon-${workspace.slug}@example.test`;
    const response = await app.request('/trpc/auth.signUp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        json: { workspaceSlug: workspace.slug, email, password: 'a long enough password', name: 'Argon' },
      }),
    });
    expect(response.status).toBe(200);
    const { passwordHash } = await db
      .selectFrom('users')
      .select('passwordHash')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$/.exec(
      passwordHash,
    );
    expect(match).not.toBeNull();
    const [memoryKiB, passes, lanes] = match!.slice(1).map(Number) as [number, number, number];
    expect(memoryKiB).toBeGreaterThanOrEqual(19_456);
    expect(passes).toBeGreaterThanOrEqual(2);
    expect(lanes).toBeGreaterThanOrEqual(1);
    expect(passwordHash).not.toContain('a long enough password');
  });
});
