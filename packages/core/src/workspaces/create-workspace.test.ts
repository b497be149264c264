import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { Actor } from '../policy/actor';
import { untilAnInsertWaits } from '../testing/locks';
import { createWorkspace } from './create-workspace';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const superadmin: Actor = { id: randomUUID(), role: 'superadmin', workspaceId: null };

describe('createWorkspace', () => {
  it('given a concurrent create that passed the pre-check, when the other commits first, then the unique index answers WORKSPACE_SLUG_TAKEN', async () => {
    const slug = `race-${randomUUID().slice(0, 8)}`;
    let outcome: Promise<unknown> = Promise.resolve();
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('workspaces').values({ name: 'First', slug }).execute();
      // The other call cannot see the uncommitted row, so its pre-check passes and its insert blocks.
      outcome = createWorkspace(db, superadmin, { name: 'Second', slug }).then(
        () => null,
        (error: unknown) => error,
      );
      await untilAnInsertWaits(db, 'workspaces');
    });
    const error = await outcome;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('WORKSPACE_SLUG_TAKEN');
    const rows = await db.selectFrom('workspaces').select('name').where('slug', '=', slug).execute();
    expect(rows).toEqual([{ name: 'First' }]);
  });

  it('given an admin calling the command directly, then FORBIDDEN and nothing is written: the rule holds without the gate', async () => {
    const slug = `direct-${randomUUID().slice(0, 8)}`;
    const admin: Actor = { id: randomUUID(), role: 'admin', workspaceId: randomUUID() };
    await expect(createWorkspace(db, admin, { name: 'Sneaky', slug })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only a superadmin may create workspaces.',
    });
    expect(await db.selectFrom('workspaces').select('id').where('slug', '=', slug).execute()).toEqual([]);
  });
});
