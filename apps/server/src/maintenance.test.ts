import { createUser, createWorkspace } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from './logger';
import { startMaintenance } from './maintenance';

const database = await openTestDatabase();
afterAll(() => database.close());

it('given an expired and a live idempotency key, when maintenance ticks, then only the expired one is deleted', async () => {
  const workspace = await createWorkspace(database.db);
  const { user } = await createUser(database.db, { role: 'client', workspaceId: workspace.id });
  const key = (name: string, expiresAt: Date) => ({
    userId: user.id,
    key: name,
    scope: 'tickets.create',
    requestHash: '0'.repeat(64),
    expiresAt,
  });
  await database.db
    .insertInto('idempotencyKeys')
    .values([
      key('expired-key', new Date(Date.now() - 1000)),
      key('live-key-1', new Date(Date.now() + 3_600_000)),
    ])
    .execute();

  const maintenance = startMaintenance(database.db, createLogger('silent'), 20);
  const remaining = () =>
    database.db
      .selectFrom('idempotencyKeys')
      .select('key')
      .where('userId', '=', user.id)
      .execute()
      .then((rows) => rows.map((row) => row.key));
  try {
    await expect.poll(remaining, { timeout: 5_000 }).toEqual(['live-key-1']);
  } finally {
    maintenance.stop();
  }
});
