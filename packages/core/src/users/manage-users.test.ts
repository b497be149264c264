import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithCast, FACTORY_PASSWORD } from '../testing';
import { createUser } from './create-user';
import { updateUser } from './update-user';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

describe('user commands, called directly', () => {
  it('given a support agent, when they create or change a user, then FORBIDDEN and nothing changes: the rule holds without the gate', async () => {
    const { workspace, support, client } = await createWorkspaceWithCast(db);
    const email = `direct-${client.user.id.slice(0, 8)}@example.test`;
    const refusal = { code: 'FORBIDDEN', message: 'Only admins may manage users.' };
    await expect(
      createUser(db, support.actor, { email, name: 'Sneaky', password: FACTORY_PASSWORD, role: 'client' }),
    ).rejects.toMatchObject(refusal);
    await expect(
      updateUser(db, support.actor, { id: client.user.id, name: 'Renamed' }),
    ).rejects.toMatchObject(refusal);
    expect(await db.selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);
    const unchanged = await db
      .selectFrom('users')
      .select('name')
      .where('id', '=', client.user.id)
      .where('workspaceId', '=', workspace.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.name).toBe(client.user.name);
  });
});
