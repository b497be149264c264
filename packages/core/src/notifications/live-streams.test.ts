import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createSession } from '../auth/sessions';
import { AppError } from '../errors';
import { createUser, createWorkspace } from '../testing/factories';
import { createLiveStreams, defaultLiveStreamLimits } from './live-streams';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

async function givenSession() {
  const workspace = await createWorkspace(db);
  const { user } = await createUser(db, { role: 'client', workspaceId: workspace.id });
  const { session } = await createSession(db, user.id);
  return { userId: user.id, sessionId: session.id };
}

const refusal = (open: () => unknown) => {
  try {
    open();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return 'opened';
};

describe('live streams', () => {
  it('given the instance holds its most streams, then one more is refused, and a released place is free again', () => {
    const streams = createLiveStreams(db, { ...defaultLiveStreamLimits, maxPerUser: 10, maxTotal: 3 });
    const leases = ['u1', 'u2', 'u3'].map((userId) => streams.open(userId, null));
    expect(refusal(() => streams.open('u4', null))).toBe('TOO_MANY_STREAMS');
    leases[0]?.release();
    expect(refusal(() => streams.open('u4', null))).toBe('opened');
    streams.close();
  });

  it('given a session that expired or a user deactivated, when the sessions are checked, then their streams end and others stay', async () => {
    const streams = createLiveStreams(db);
    const [expired, deactivated, live] = [await givenSession(), await givenSession(), await givenSession()];
    await db
      .updateTable('sessions')
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where('id', '=', expired.sessionId)
      .execute();
    await db.updateTable('users').set({ isActive: false }).where('id', '=', deactivated.userId).execute();
    const leases = [expired, deactivated, live].map((one) => streams.open(one.userId, one.sessionId));

    await streams.verify();

    expect(leases.map((lease) => lease.revoked)).toEqual([true, true, false]);
    streams.close();
  });

  it('given a session deleted with no word of it, then the periodic check ends its stream by itself', async () => {
    const streams = createLiveStreams(db, { ...defaultLiveStreamLimits, verifyEveryMs: 50 });
    const { userId, sessionId } = await givenSession();
    const lease = streams.open(userId, sessionId);
    await db.deleteFrom('sessions').where('id', '=', sessionId).execute();

    await expect.poll(() => lease.revoked, { timeout: 2_000 }).toBe(true);
    expect(lease.signal.aborted).toBe(true);
    streams.close();
  });

  it("given one user's sessions ended, then only that user's streams end", () => {
    const streams = createLiveStreams(db);
    const mine = streams.open('user-a', 's1');
    const theirs = streams.open('user-b', 's2');
    streams.sessionsEnded({ userId: 'user-a' });
    expect([mine.revoked, theirs.revoked]).toEqual([true, false]);
    streams.sessionsEnded({ sessionId: 's2' });
    expect(theirs.revoked).toBe(true);
    streams.close();
  });
});
