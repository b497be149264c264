import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser, createWorkspaceWithCast } from '../testing';
import { createTicket } from '../tickets/create-ticket';
import { getTicket } from '../tickets/get-ticket';
import { processSlaDeadlines } from './deadlines';

// Two databases handles = two connection pools, as two server instances would have.
const first = await openTestDatabase();
const second = await openTestDatabase();
const db = first.db;
afterAll(async () => {
  await first.close();
  await second.close();
});

const MINUTE = 60_000;
const LEAD = 30 * MINUTE;

/** Moves a ticket's clock so its targets fall due `firstResponseIn` / `resolutionIn` from now. */
async function dueIn(ticketId: string, firstResponseIn: number, resolutionIn: number) {
  const now = Date.now();
  const firstResponse = new Date(now + firstResponseIn);
  const resolution = new Date(now + resolutionIn);
  await db
    .updateTable('tickets')
    .set({
      slaFirstResponseDueAt: firstResponse,
      slaResolutionDueAt: resolution,
      slaNextDueAt: new Date(Math.min(firstResponse.getTime(), resolution.getTime())),
    })
    .where('id', '=', ticketId)
    .execute();
}

async function drain(handle: typeof db) {
  let total = { breaches: 0, warnings: 0 };
  for (;;) {
    const batch = await processSlaDeadlines(handle, { warningLeadMs: LEAD, batchSize: 3 });
    total = { breaches: total.breaches + batch.breaches, warnings: total.warnings + batch.warnings };
    if (batch.claimed < 3) return total;
  }
}

describe('the breach worker', () => {
  it('given 12 overdue and 4 soon-due tickets, when two instances run the worker at once and again after a restart, then every breach and warning is announced exactly once', async () => {
    const { workspace, admin, support, client } = await createWorkspaceWithCast(db);
    const secondAdmin = await createUser(db, { role: 'admin', workspaceId: workspace.id });
    await createUser(db, { role: 'admin', workspaceId: workspace.id, isActive: false });
    const create = (title: string) =>
      createTicket(db, client.actor, { title, description: 'x', priority: 'medium', category: 'general' });
    const overdue = await Promise.all(Array.from({ length: 12 }, (_, i) => create(`Overdue ${i}`)));
    const soon = await Promise.all(Array.from({ length: 4 }, (_, i) => create(`Soon ${i}`)));
    await db
      .updateTable('tickets')
      .set({ assignedTo: support.user.id })
      .where('id', '=', overdue[0]?.id as string)
      .execute();
    for (const ticket of overdue) await dueIn(ticket.id, -2 * MINUTE, -MINUTE);
    for (const ticket of soon) await dueIn(ticket.id, 10 * MINUTE, 10 * 60 * MINUTE);

    await Promise.all([drain(first.db), drain(second.db)]);
    await Promise.all([drain(first.db), drain(second.db)]); // "after a restart": nothing new

    const ids = [...overdue, ...soon].map((ticket) => ticket.id);
    const events = await db
      .selectFrom('auditEvents')
      .select(['ticketId', 'actorId', 'data'])
      .where('ticketId', 'in', ids)
      .where('action', '=', 'sla.breached')
      .execute();
    // Two targets missed on each overdue ticket: one event each, by nobody (the system).
    expect(events).toHaveLength(24);
    expect(new Set(events.map((event) => `${event.ticketId}:${event.data.target}`)).size).toBe(24);
    expect(events.every((event) => event.actorId === null)).toBe(true);

    const notifications = await db
      .selectFrom('notifications')
      .select(['ticketId', 'userId', 'type', 'data'])
      .where('ticketId', 'in', ids)
      .execute();
    const count = (type: string, userId: string) =>
      notifications.filter((row) => row.type === type && row.userId === userId).length;
    // The active admins hear of every breach (2 per overdue ticket) and warning (1 per soon ticket);
    // the assignee of the first ticket of its two; the inactive admin and the requester of nothing.
    for (const user of [admin, secondAdmin]) {
      expect(count('sla.breached', user.user.id)).toBe(24);
      expect(count('sla.warning', user.user.id)).toBe(4);
    }
    expect(count('sla.breached', support.user.id)).toBe(2);
    expect(notifications.filter((row) => row.userId === client.user.id)).toHaveLength(0);
    expect(notifications).toHaveLength(24 * 2 + 4 * 2 + 2);

    const outbox = await db
      .selectFrom('notificationOutbox')
      .innerJoin('notifications', 'notifications.id', 'notificationOutbox.notificationId')
      .select('notificationOutbox.id')
      .where('notifications.ticketId', 'in', ids)
      .execute();
    expect(outbox).toHaveLength(notifications.length); // e-mail goes out through the outbox as well

    const shown = await getTicket(db, admin.actor, { id: overdue[0]?.id as string });
    expect(shown.sla).toMatchObject({
      firstResponseBreached: true,
      resolutionBreached: true,
      nextDueAt: null,
    });
    const warned = await getTicket(db, admin.actor, { id: soon[0]?.id as string });
    expect(warned.sla).toMatchObject({ firstResponseBreached: false, nextDueAt: expect.any(Date) });
  });

  it('given a ticket locked by a command in progress, when the worker runs, then it skips the ticket and announces its breach once the lock is gone', async () => {
    const { client } = await createWorkspaceWithCast(db);
    const ticket = await createTicket(db, client.actor, {
      title: 'Locked',
      description: 'x',
      priority: 'low',
      category: 'general',
    });
    await dueIn(ticket.id, -MINUTE, 60 * MINUTE);
    const breachesOf = async () =>
      (
        await db
          .selectFrom('auditEvents')
          .select('id')
          .where('ticketId', '=', ticket.id)
          .where('action', '=', 'sla.breached')
          .execute()
      ).length;
    await second.db.transaction().execute(async (tx) => {
      await tx.selectFrom('tickets').select('id').where('id', '=', ticket.id).forUpdate().execute();
      await drain(first.db);
      expect(await breachesOf()).toBe(0);
    });
    await drain(first.db);
    expect(await breachesOf()).toBe(1);
  });
});
