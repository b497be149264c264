import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser, createWorkspace } from '../testing/factories';
import { recognisedDevice, rememberDevice } from './devices';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

async function givenUser() {
  const workspace = await createWorkspace(db);
  return (await createUser(db, { role: 'client', workspaceId: workspace.id })).user;
}

describe('sign-in devices', () => {
  it('given a device token from a sign-in, then it is recognised for that account only, with the right secret only', async () => {
    const [owner, other] = [await givenUser(), await givenUser()];
    const token = await rememberDevice(db, owner.id, null, owner.email);
    const [id] = token.split('.');

    expect(await recognisedDevice(db, token, owner.email.toUpperCase())).toBe(id);
    expect(await recognisedDevice(db, token, other.email)).toBeNull();
    expect(await recognisedDevice(db, `${id}.${'a'.repeat(39)}`, owner.email)).toBeNull();
  });

  it('given an expired device token, then it is not recognised, and signing in again issues a new one', async () => {
    const owner = await givenUser();
    const token = await rememberDevice(db, owner.id, null, owner.email);
    await db
      .updateTable('signInDevices')
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where('userId', '=', owner.id)
      .execute();

    expect(await recognisedDevice(db, token, owner.email)).toBeNull();
    expect(await rememberDevice(db, owner.id, token, owner.email)).not.toBe(token);
  });

  it('given a valid device token at sign-in, then it is kept and its life extended', async () => {
    const owner = await givenUser();
    const token = await rememberDevice(db, owner.id, null, owner.email);
    const soon = new Date(Date.now() + 60_000);
    await db.updateTable('signInDevices').set({ expiresAt: soon }).where('userId', '=', owner.id).execute();

    expect(await rememberDevice(db, owner.id, token, owner.email)).toBe(token);
    const row = await db
      .selectFrom('signInDevices')
      .select('expiresAt')
      .where('userId', '=', owner.id)
      .executeTakeFirstOrThrow();
    expect(row.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 300 * 24 * 3600 * 1000);
  });
});
