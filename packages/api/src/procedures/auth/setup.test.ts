import { createSuperadmin, issueFirstRunSetupToken } from '@tickets/core';
import { createDatabase, type Database, migrateToLatest } from '@tickets/db';
import { createScratchDatabase } from '@tickets/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { errorShapeOf, rejection } from '../../testing/rejection';

// First-run setup needs a database with no superadmin, which the run's shared database never is (other
// files create superadmins): this file gets an empty database of its own.
let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let database: Database;
let api: Awaited<ReturnType<typeof createTestApi>>;

beforeAll(async () => {
  scratch = await createScratchDatabase('setup');
  database = await createDatabase({ kind: 'postgres', url: scratch.url, maxConnections: 10 });
  await migrateToLatest(database.db);
  api = await createTestApi({ db: database.db });
});
afterAll(async () => {
  await api?.close();
  await database?.close();
  await scratch?.drop();
});
beforeEach(async () => {
  await database.db.deleteFrom('users').execute();
  await database.db.deleteFrom('setupTokens').execute();
});

const ada = { email: 'ada@example.com', name: 'Ada Lovelace', password: 'a long password' };
const superadmins = () =>
  database.db.selectFrom('users').select('email').where('role', '=', 'superadmin').execute();

describe('auth.setup (first-run setup)', () => {
  it('given no superadmin and the token a start printed, when auth.setup is called with it, then the first superadmin is created and signed in', async () => {
    const token = await issueFirstRunSetupToken(database.db);
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const { caller, resHeaders } = api.withResponse();
    const result = await caller.auth.setup({ ...ada, token: token as string });
    expect(result.user).toMatchObject({ email: ada.email, role: 'superadmin', workspaceId: null });
    expect(resHeaders.get('set-cookie')).toContain('tickets_session=');
    expect(await api.as(result.token).auth.me()).toMatchObject({ email: ada.email, role: 'superadmin' });
    // Only the hash was ever stored, and nothing is left once used.
    expect(await database.db.selectFrom('setupTokens').selectAll().execute()).toEqual([]);
  });

  it('given the token was used, when it is presented again, then FORBIDDEN SETUP_TOKEN_INVALID and no second superadmin', async () => {
    const token = (await issueFirstRunSetupToken(database.db)) as string;
    await api.as().auth.setup({ ...ada, token });
    const error = await rejection(api.as().auth.setup({ ...ada, email: 'eve@example.com', token }));
    expect(errorShapeOf(error)).toMatchObject({
      code: 'FORBIDDEN',
      data: { appCode: 'SETUP_TOKEN_INVALID' },
    });
    expect(await superadmins()).toEqual([{ email: ada.email }]);
  });

  it('given a wrong token, when auth.setup is called, then it is refused, nothing is created and the printed token still works', async () => {
    const token = (await issueFirstRunSetupToken(database.db)) as string;
    const error = await rejection(
      api.as().auth.setup({ ...ada, token: `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}` }),
    );
    expect(errorShapeOf(error).data).toMatchObject({
      appCode: 'SETUP_TOKEN_INVALID',
      issues: [{ path: 'token' }],
    });
    expect(await superadmins()).toEqual([]);
    await expect(api.as().auth.setup({ ...ada, token })).resolves.toMatchObject({
      user: { role: 'superadmin' },
    });
  });

  it('given bad input, when auth.setup is called, then BAD_REQUEST names the field and the token is not spent', async () => {
    const token = (await issueFirstRunSetupToken(database.db)) as string;
    const error = await rejection(api.as().auth.setup({ ...ada, password: 'short', token }));
    expect(errorShapeOf(error).data).toMatchObject({
      appCode: 'VALIDATION_FAILED',
      issues: [{ path: 'password' }],
    });
    await expect(api.as().auth.setup({ ...ada, token })).resolves.toBeDefined();
  });

  it('given two instances printed two tokens, when both are used at once, then exactly one superadmin is created', async () => {
    const first = (await issueFirstRunSetupToken(database.db)) as string;
    const second = (await issueFirstRunSetupToken(database.db)) as string;
    expect(first).not.toBe(second);
    const outcomes = await Promise.allSettled([
      api.as().auth.setup({ ...ada, token: first }),
      api.as().auth.setup({ ...ada, email: 'grace@example.com', name: 'Grace Hopper', token: second }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(await superadmins()).toHaveLength(1);
  });

  it('given a superadmin made from the command line, then a start issues no token and an earlier token is refused', async () => {
    const token = (await issueFirstRunSetupToken(database.db)) as string;
    await createSuperadmin(database.db, {
      email: 'cli@example.com',
      name: 'From the CLI',
      password: 'a long password',
    });
    const error = await rejection(api.as().auth.setup({ ...ada, token }));
    expect(errorShapeOf(error).data.appCode).toBe('SETUP_TOKEN_INVALID');
    expect(await issueFirstRunSetupToken(database.db)).toBeNull();
    expect(await database.db.selectFrom('setupTokens').selectAll().execute()).toEqual([]);
  });

  it('given an address that keeps presenting tokens, when it passes the per-address limit, then TOO_MANY_REQUESTS and the printed token stays valid', async () => {
    const strict = await createTestApi({
      db: database.db,
      requestLimits: {
        signInPerAccount: { limit: 100, windowSeconds: 60 },
        signInPerAddress: { limit: 2, windowSeconds: 60 },
        perUser: { limit: 100, windowSeconds: 60 },
      },
    });
    try {
      const token = (await issueFirstRunSetupToken(database.db)) as string;
      for (const guess of ['guess-one', 'guess-two']) {
        const error = await rejection(strict.as().auth.setup({ ...ada, token: guess }));
        expect(errorShapeOf(error).data.appCode).toBe('SETUP_TOKEN_INVALID');
      }
      const limited = await rejection(strict.as().auth.setup({ ...ada, token }));
      expect(errorShapeOf(limited)).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        data: { appCode: 'RATE_LIMITED' },
      });
      await expect(api.as().auth.setup({ ...ada, token })).resolves.toBeDefined();
    } finally {
      await strict.close();
    }
  });
});
