import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createWorkspace } from '../testing';
import { createSession, invalidateUserSessions, SESSION_LIFETIME_MS, validateSessionToken } from './sessions';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

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

describe('sessions counting the per-user budget in the same statement', () => {
  const rule = { limit: 2, windowSeconds: 3600 };
  const hitsOf = async (id: string) =>
    (await db.selectFrom('rateLimits').select('hits').where('key', '=', `user:${id}`).executeTakeFirst())
      ?.hits ?? 0;

  it('given a live session, when validated with countUserHit, then each call counts once and the third is over the limit', async () => {
    const workspace = await createWorkspace(db);
    const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const { token } = await createSession(db, user.id);

    const decisions = [];
    for (let call = 0; call < 3; call += 1) {
      decisions.push((await validateSessionToken(db, token, { countUserHit: rule }))?.userHit);
    }

    expect(decisions.map((decision) => decision?.allowed)).toEqual([true, true, false]);
    expect(decisions[2]?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await hitsOf(user.id)).toBe(3);
  });

  it('given a real session id with a wrong secret, or a deactivated user, then nothing is counted against the user', async () => {
    const workspace = await createWorkspace(db);
    const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const { token } = await createSession(db, user.id);
    const [id] = token.split('.');

    expect(await validateSessionToken(db, `${id}.${'a'.repeat(39)}`, { countUserHit: rule })).toBeNull();
    await db.updateTable('users').set({ isActive: false }).where('id', '=', user.id).execute();
    expect(await validateSessionToken(db, token, { countUserHit: rule })).toBeNull();

    expect(await hitsOf(user.id)).toBe(0);
  });
});
