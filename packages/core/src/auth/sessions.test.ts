import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createWorkspace } from '../testing';
import { createSessionCache } from './session-cache';
import {
  createSession,
  hashSecret,
  invalidateSession,
  invalidateUserSessions,
  SESSION_LIFETIME_MS,
  validateSessionToken,
} from './sessions';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

describe('session secrets', () => {
  it('given a secret, then it is stored as its SHA-256 (so sessions made by earlier versions still match)', () => {
    // The FIPS 180-2 test vector for "abc".
    expect(Buffer.from(hashSecret('abc')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('sessions', () => {
  let userId: string;
  beforeAll(async () => {
    const workspace = await createWorkspace(db);
    userId = (await createUser(db, { role: 'client', workspaceId: workspace.id })).user.id;
  });

  it('stores only a SHA-256 of the secret, never the token', async () => {
    const { token, session } = await createSession(db, userId);
    const row = await db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    const secret = token.split('.')[1]!;
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(Buffer.from(row.secretHash).toString('hex')).toHaveLength(64);
  });

  it('given a valid token, when validated, then it resolves the user as the actor', async () => {
    const { token } = await createSession(db, userId);
    const validated = await validateSessionToken(db, token);
    expect(validated?.actor).toMatchObject({ id: userId, role: 'client' });
  });

  it('refuses a token whose secret is wrong, even with a real session id', async () => {
    const { token } = await createSession(db, userId);
    const [id] = token.split('.');
    expect(await validateSessionToken(db, `${id}.${'a'.repeat(39)}`)).toBeNull();
    expect(await validateSessionToken(db, 'garbage')).toBeNull();
  });

  it('refuses an expired token and deletes its session', async () => {
    const past = new Date(Date.now() - SESSION_LIFETIME_MS - 1000);
    const { token, session } = await createSession(db, userId, past);
    expect(await validateSessionToken(db, token)).toBeNull();
    const left = await db.selectFrom('sessions').select('id').where('id', '=', session.id).execute();
    expect(left).toEqual([]);
  });

  it('extends a session used in the second half of its life (sliding expiry)', async () => {
    const twentyDaysAgo = new Date(Date.now() - 20 * 24 * 3600 * 1000);
    const { token } = await createSession(db, userId, twentyDaysAgo);
    const validated = await validateSessionToken(db, token);
    expect(validated?.session.renewed).toBe(true);
    expect(validated!.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_LIFETIME_MS - 60_000);
  });

  it('refuses every token of a user whose sessions were invalidated', async () => {
    const { token } = await createSession(db, userId);
    await invalidateUserSessions(db, userId);
    expect(await validateSessionToken(db, token)).toBeNull();
  });
});

describe('sessions checked through a session cache', () => {
  it('given a session checked once, when checked again, then the database is not asked, and a wrong secret is still refused', async () => {
    const workspace = await createWorkspace(db);
    const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const { token } = await createSession(db, user.id);
    const cache = createSessionCache();
    const seen: string[] = [];
    const counted = db.withPlugin({
      transformQuery: (args) => {
        seen.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });

    expect((await validateSessionToken(counted, token, { cache }))?.actor.id).toBe(user.id);
    expect((await validateSessionToken(counted, token, { cache }))?.actor.id).toBe(user.id);
    const [id] = token.split('.');
    expect(await validateSessionToken(counted, `${id}.${'a'.repeat(39)}`, { cache })).toBeNull();

    expect(seen).toEqual(['SelectQueryNode']);
  });

  it("given a cached session, when it is forgotten (signed out, or all of its user's), then the next check asks the database and refuses it", async () => {
    const workspace = await createWorkspace(db);
    const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const cache = createSessionCache();
    for (const ended of ['session', 'user'] as const) {
      const { token, session } = await createSession(db, user.id);
      await validateSessionToken(db, token, { cache });
      if (ended === 'session') await invalidateSession(db, session.id);
      else await invalidateUserSessions(db, user.id);
      // Still cached: an instance that has not heard of the end yet would accept it...
      expect(await validateSessionToken(db, token, { cache })).not.toBeNull();

      cache.forget(ended === 'session' ? { sessionId: session.id } : { userId: user.id });

      // ...until it hears (by NOTIFY, or at once on the instance that ended it).
      expect(await validateSessionToken(db, token, { cache })).toBeNull();
    }
  });

  it('given a read that started before a session ended, then what it found is not cached', async () => {
    const workspace = await createWorkspace(db);
    const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const { token, session } = await createSession(db, user.id);
    const cache = createSessionCache();
    const startedBefore = performance.now();
    cache.forget({ sessionId: session.id });
    cache.set(
      session.id,
      {
        secretHash: new Uint8Array(32),
        expiresAt: new Date(),
        actor: { id: user.id, role: 'client', workspaceId: workspace.id },
      },
      startedBefore,
    );
    expect(cache.get(session.id)).toBeUndefined();
    expect(await validateSessionToken(db, token, { cache })).not.toBeNull();
  });

  it('given a session near its renewal, then the check goes to the database, renews it and caches the new expiry', async () => {
    const workspace = await createWorkspace(db);
    const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const twentyDaysAgo = new Date(Date.now() - 20 * 24 * 3600 * 1000);
    const { token, session } = await createSession(db, user.id, twentyDaysAgo);
    const cache = createSessionCache();
    expect((await validateSessionToken(db, token, { cache }))?.session.renewed).toBe(true);
    expect(cache.get(session.id)?.expiresAt.getTime()).toBeGreaterThan(
      Date.now() + SESSION_LIFETIME_MS - 60_000,
    );
    expect((await validateSessionToken(db, token, { cache }))?.session.renewed).toBe(false);
  });
});
