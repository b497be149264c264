import { createTicket } from '@tickets/core';
import { createWorkspaceWithCast } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from './logger';
import { startSlaWorker } from './sla-worker';

const database = await openTestDatabase();
afterAll(() => database.close());

it('given a ticket whose resolution fell due, when the worker ticks, then the breach is recorded and its admin notified', async () => {
  const db = database.db;
  const { admin, client } = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, client.actor, {
    title: 'Overdue',
    description: 'x',
    priority: 'low',
    category: 'general',
  });
  const past = new Date(Date.now() - 60_000);
  await db
    .updateTable('tickets')
    .set({ slaResolutionDueAt: past, slaFirstResponseDueAt: past, slaNextDueAt: past })
    .where('id', '=', ticket.id)
    .execute();

  const worker = startSlaWorker(db, createLogger('silent'), { intervalMs: 20, warningLeadMs: 0 });
  const breachNotices = () =>
    db
      .selectFrom('notifications')
      .select('type')
      .where('ticketId', '=', ticket.id)
      .where('userId', '=', admin.user.id)
      .execute()
      .then((rows) => rows.map((row) => row.type));
  try {
    await expect.poll(breachNotices, { timeout: 5_000 }).toEqual(['sla.breached', 'sla.breached']);
  } finally {
    await worker.stop();
  }
});
