import { randomUUID } from 'node:crypto';
import { createSession, deliverOutboxBatch, encodeCursor, type NotificationChannel } from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../testing/harness';
import { errorShapeOf, rejection } from '../testing/rejection';

// Regression tests for what an outside attack found (docs/SECURITY.md, "Findings of the outside
// attack"), at the procedure level. The HTTP-level ones live in apps/server/src/security/.

const api = await createTestApi();
afterAll(() => api.close());

let cast: Awaited<ReturnType<typeof createWorkspaceWithCast>>;
let ticketId: string;
beforeAll(async () => {
  cast = await createWorkspaceWithCast(api.db);
  ticketId = (await createTicket(api.db, { workspaceId: cast.workspace.id, createdBy: cast.client.user.id }))
    .id;
});

describe('finding 4: a forged cursor holding an instant PostgreSQL cannot store', () => {
  // JavaScript dates reach 271,821 BC; PostgreSQL's timestamps stop at 4713 BC (and 294276 AD).
  const unstorable = [
    '-271821-04-20T00:00:00.000Z',
    '-004714-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
  ];

  const lists: Array<[string, (cursor: string) => Promise<unknown>]> = [
    [
      'tickets.list by created',
      (cursor) => api.as(cast.admin.token).tickets.list({ cursor, sort: 'created' }),
    ],
    [
      'tickets.list by updated',
      (cursor) => api.as(cast.admin.token).tickets.list({ cursor, sort: 'updated' }),
    ],
    [
      'tickets.list by priority',
      (cursor) => api.as(cast.admin.token).tickets.list({ cursor, sort: 'priority' }),
    ],
    ['users.list', (cursor) => api.as(cast.admin.token).users.list({ cursor })],
    ['logs.list', (cursor) => api.as(cast.admin.token).logs.list({ cursor })],
    ['messages.list', (cursor) => api.as(cast.admin.token).messages.list({ ticketId, cursor })],
    ['attachments.list', (cursor) => api.as(cast.admin.token).attachments.list({ ticketId, cursor })],
  ];
  const keyFor = (name: string, at: string) =>
    name.endsWith('created')
      ? `c:${at}`
      : name.endsWith('updated')
        ? `u:${at}`
        : name.endsWith('priority')
          ? `p:2:${at}`
          : at;

  it.each(lists)(
    'given such a cursor, when %s is called, then INVALID_CURSOR (400), never a 500',
    async (name, list) => {
      for (const at of unstorable) {
        const error = errorShapeOf(await rejection(list(encodeCursor([keyFor(name, at), randomUUID()]))));
        expect(error.code).toBe('BAD_REQUEST');
        expect(error.data.appCode).toBe('INVALID_CURSOR');
      }
    },
  );
});

describe('finding 7: input no schema describes', () => {
  it('given a "__proto__", "constructor" or "prototype" key anywhere in the input, then a 400 names the key', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const input = JSON.parse(`{"title":"A title","description":"Text","${key}":{"role":"superadmin"}}`);
      const error = errorShapeOf(await rejection(api.as(cast.client.token).tickets.create(input)));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.data.issues).toEqual([{ path: key, message: expect.stringContaining('reserved') }]);
    }
  });

  it('given a title holding a lone surrogate, when a ticket is updated, then a 400 names the field and nothing changes', async () => {
    const ticket = await createTicket(api.db, {
      workspaceId: cast.workspace.id,
      createdBy: cast.client.user.id,
    });
    const error = errorShapeOf(
      await rejection(
        api.as(cast.admin.token).tickets.update({ id: ticket.id, title: 'lone \uD800 surrogate' }),
      ),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data.issues).toEqual([{ path: 'title', message: expect.stringContaining('Unicode') }]);
    const row = await api.db
      .selectFrom('tickets')
      .select(['title', 'version'])
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ title: ticket.title, version: ticket.version });
  });

  it("given input nested thousands of levels deep, then a 400 in our words, not the engine's", async () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 5_000; level += 1) deep = { deep };
    const error = errorShapeOf(await rejection(api.as(cast.admin.token).tickets.list(deep as never)));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/nested too deeply/);
    expect(error.message).not.toMatch(/call stack/i);
  });
});

describe('finding 2: a demoted or deactivated assignee keeps receiving internal events', () => {
  async function givenAssignedAgent() {
    const team = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: team.workspace.id,
      createdBy: team.client.user.id,
      assignedTo: team.support.user.id,
    });
    return { team, ticket };
  }
  const notificationsOf = (userId: string) =>
    api.db.selectFrom('notifications').select(['type', 'internal']).where('userId', '=', userId).execute();

  it('given an agent holding open and closed tickets, when demoted to client, then the open ones are unassigned, each with its audit event, and the closed one keeps its history', async () => {
    const { team, ticket } = await givenAssignedAgent();
    const closed = await createTicket(api.db, {
      workspaceId: team.workspace.id,
      createdBy: team.client.user.id,
      assignedTo: team.support.user.id,
      status: 'closed',
    });

    await api.as(team.admin.token).users.update({ id: team.support.user.id, role: 'client' });

    const rows = await api.db
      .selectFrom('tickets')
      .select(['id', 'assignedTo', 'version'])
      .where('id', 'in', [ticket.id, closed.id])
      .execute();
    expect(rows.find((row) => row.id === ticket.id)).toEqual({
      id: ticket.id,
      assignedTo: null,
      version: ticket.version + 1,
    });
    expect(rows.find((row) => row.id === closed.id)?.assignedTo).toBe(team.support.user.id);
    const events = await api.db
      .selectFrom('auditEvents')
      .select(['ticketId', 'actorId', 'data'])
      .where('action', '=', 'ticket.assigned')
      .where('ticketId', 'in', [ticket.id, closed.id])
      .execute();
    expect(events).toEqual([
      {
        ticketId: ticket.id,
        actorId: team.admin.user.id,
        data: {
          changes: { assignedTo: { from: team.support.user.id, to: null } },
          reason: 'assignee_no_longer_staff',
        },
      },
    ]);
  });

  it('given a deactivated agent, then their open tickets are unassigned too', async () => {
    const { team, ticket } = await givenAssignedAgent();
    await api.as(team.admin.token).users.update({ id: team.support.user.id, isActive: false });
    const row = await api.db
      .selectFrom('tickets')
      .select('assignedTo')
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.assignedTo).toBeNull();
  });

  it('given an agent who received internal news, when demoted and signed in again, then they list and count none of it, and the e-mail is not sent', async () => {
    const { team, ticket } = await givenAssignedAgent();
    await api
      .as(team.admin.token)
      .messages.create({ ticketId: ticket.id, body: 'Internal: refund approved', internal: true });
    await api.as(team.admin.token).messages.create({ ticketId: ticket.id, body: 'We are on it.' });
    expect(await notificationsOf(team.support.user.id)).toEqual(
      expect.arrayContaining([
        { type: 'message.created', internal: true },
        { type: 'message.created', internal: false },
      ]),
    );

    await api.as(team.admin.token).users.update({ id: team.support.user.id, role: 'client' });
    const { token } = await createSession(api.db, team.support.user.id);

    const listed = await api.as(token).notifications.list({});
    expect(listed.items.map((item) => item.data.internal)).toEqual([false]);
    expect(await api.as(token).notifications.unreadCount()).toEqual({ count: 1 });
    // Marking never reaches what they may no longer see either.
    expect(await api.as(token).notifications.markAllRead()).toEqual({ updated: 1 });
    const mailed: string[] = [];
    const channel: NotificationChannel = {
      name: 'email',
      deliver: async (notification, recipient) => {
        if (recipient.id === team.support.user.id) mailed.push(String(notification.data.internal));
      },
    };
    await deliverOutboxBatch(api.db, { channels: [channel], batchSize: 1_000 });
    expect(mailed).toEqual(['false']);
  });

  it('given a demoted user still named on a closed ticket, when it is reopened and noted, then they are sent nothing about it', async () => {
    const { team } = await givenAssignedAgent();
    const closed = await createTicket(api.db, {
      workspaceId: team.workspace.id,
      createdBy: team.client.user.id,
      assignedTo: team.support.user.id,
      status: 'closed',
    });
    await api.as(team.admin.token).users.update({ id: team.support.user.id, role: 'client' });
    const before = (await notificationsOf(team.support.user.id)).length;

    await api.as(team.admin.token).tickets.reopen({ id: closed.id });
    await api
      .as(team.admin.token)
      .messages.create({ ticketId: closed.id, body: 'Internal again', internal: true });
    await api.as(team.admin.token).messages.create({ ticketId: closed.id, body: 'A public reply' });

    expect((await notificationsOf(team.support.user.id)).length).toBe(before);
    expect((await notificationsOf(team.client.user.id)).map((row) => row.internal)).not.toContain(true);
  });
});
