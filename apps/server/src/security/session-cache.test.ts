import { createUser, createWorkspace, FACTORY_PASSWORD } from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startComposedInstance } from '../testing/composed-instance';

// Two instances built by the production composition root (session cache, LISTEN connection, per-user
// budget in Redis), sharing one PostgreSQL and one Redis: what is promised in docs/SECURITY.md about
// how long an ended session can still be used on another instance, and about shared limits.

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startInstance(variables: Record<string, string>) {
  const instance = await startComposedInstance({ REDIS_URL, ...variables });
  cleanups.push(() => instance.stop());
  return instance;
}

const call = (url: string, path: string, token: string, method: 'GET' | 'POST' = 'GET') =>
  fetch(`${url}/trpc/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
const signedInAs = async (url: string, token: string) =>
  (
    (await (await call(url, 'auth.me', token)).json()) as {
      result?: { data: { json: { id: string } | null } };
    }
  ).result?.data.json?.id ?? null;

async function givenSignedInUser(url: string) {
  const workspace = await createWorkspace((await instances).a.db);
  const { user } = await createUser((await instances).a.db, { role: 'support', workspaceId: workspace.id });
  const response = await fetch(`${url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { email: user.email, password: FACTORY_PASSWORD } }),
  });
  const token = ((await response.json()) as { result: { data: { json: { token: string } } } }).result.data
    .json.token;
  return { user, token };
}

// A cache lifetime far longer than any wait below: a session refused in time was ended by the NOTIFY.
const instances = (async () => ({
  a: await startInstance({ SESSION_CACHE_TTL_MS: '60000', RATE_LIMIT_PER_USER_PER_MINUTE: '5' }),
  b: await startInstance({ SESSION_CACHE_TTL_MS: '60000', RATE_LIMIT_PER_USER_PER_MINUTE: '5' }),
}))();

describe('the session cache', () => {
  it('given a session cached on B, when it is signed out on A, then B refuses it within the NOTIFY, long before the cache lifetime', async () => {
    const { a, b } = await instances;
    const { user, token } = await givenSignedInUser(a.url);
    expect(await signedInAs(b.url, token)).toBe(user.id);

    expect((await call(a.url, 'auth.signOut', token, 'POST')).status).toBe(200);
    const started = performance.now();
    await expect.poll(() => signedInAs(b.url, token), { timeout: 10_000, interval: 5 }).toBeNull();
    const window = performance.now() - started;

    expect(window).toBeLessThan(10_000);
    console.info(
      `an ended session was still accepted on the other instance for ${window.toFixed(0)} ms at most`,
    );
  });

  it('given a session ended without a NOTIFY (a lost message), then another instance accepts it only until its cache lifetime', async () => {
    const c = await startInstance({ SESSION_CACHE_TTL_MS: '400' });
    const { user, token } = await givenSignedInUser(c.url);
    expect(await signedInAs(c.url, token)).toBe(user.id);

    await c.db.deleteFrom('sessions').where('userId', '=', user.id).execute();

    expect(await signedInAs(c.url, token)).toBe(user.id);
    await expect.poll(() => signedInAs(c.url, token), { timeout: 5_000, interval: 50 }).toBeNull();
  });
});

describe('the per-user budget in Redis', () => {
  it("given two instances sharing Redis, then a user's calls on both count against one budget", async () => {
    const { a, b } = await instances;
    const { token } = await givenSignedInUser(a.url);
    const statuses: number[] = [];
    // Sign-in is not a signed-in call; these are the user's first five.
    for (const url of [a.url, b.url, a.url, b.url, a.url, b.url]) {
      statuses.push((await call(url, 'auth.me', token)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('given each user, then each has a budget of their own', async () => {
    const { a } = await instances;
    const first = await givenSignedInUser(a.url);
    const second = await givenSignedInUser(a.url);
    for (let i = 0; i < 5; i += 1) await call(a.url, 'auth.me', first.token);
    expect((await call(a.url, 'auth.me', second.token)).status).toBe(200);
  });
});
