import { randomUUID } from 'node:crypto';
import { createTicket, createUser, createWorkspace, createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { databaseProbe, rejection } from './test-support';

const api = await createTestApi();
afterAll(() => api.close());
const probe = databaseProbe(api);

const newTicket = { title: 'Printer on fire', description: 'Smoke comes out of the printer.' };

describe('tickets.create', () => {
  it('given a requester, when they create a ticket, then it is theirs, open, in their workspace, and audited', async () => {
    const { workspace, client } = await createWorkspaceWithCast(api.db);

    const ticket = await api
      .as(client.token)
      .tickets.create({ ...newTicket, category: 'technical', priority: 'high' });

    expect(ticket).toMatchObject({
      ...newTicket,
      workspaceId: workspace.id,
      createdBy: client.user.id,
      status: 'open',
      priority: 'high',
      category: 'technical',
      assignedTo: null,
      isEscalated: false,
      resolvedAt: null,
      firstResponseAt: null,
      version: 1,
    });
    const events = await probe.events(ticket.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'ticket.created',
      actorId: client.user.id,
      workspaceId: workspace.id,
    });
  });

  type Cast = Awaited<ReturnType<typeof createWorkspaceWithCast>>;
  const smuggled: Array<[field: string, smuggledValue: (cast: Cast) => unknown]> = [
    ['createdBy', (cast) => cast.client.user.id],
    ['status', () => 'closed'],
    ['assignedTo', (cast) => cast.admin.user.id],
    ['isEscalated', () => true],
    ['resolvedAt', () => new Date()],
  ];

  it.each(smuggled)(
    'a ticket created by a requester belongs to them whatever %s the input carries: the key is refused by name, nothing is written',
    async (field, smuggledValue) => {
      const cast = await createWorkspaceWithCast(api.db);
      const input = { ...newTicket, [field]: smuggledValue(cast) };

      const error = await rejection(api.as(cast.writer.token).tickets.create(input));

      expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'VALIDATION_FAILED' } });
      expect(error.message).toContain(field);
      expect(await probe.ticketsCreatedBy(cast.writer.user.id)).toEqual([]);
      expect(await probe.ticketsCreatedBy(cast.client.user.id)).toEqual([]);
      const mine = await api.as(cast.writer.token).tickets.create(newTicket);
      expect(mine).toMatchObject({
        createdBy: cast.writer.user.id,
        status: 'open',
        assignedTo: null,
        isEscalated: false,
      });
    },
  );

  it('given no description, when a ticket is created, then BAD_REQUEST names the field description', async () => {
    const { client } = await createWorkspaceWithCast(api.db);

    const error = await rejection(
      api.as(client.token).tickets.create({ title: 'No details' } as unknown as typeof newTicket),
    );

    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data.appCode).toBe('VALIDATION_FAILED');
    expect(error.data.issues?.map((issue) => issue.path)).toEqual(['description']);
    expect(await probe.ticketsCreatedBy(client.user.id)).toEqual([]);
  });

  it('given a blank title or an over-long description, then the field is named', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const blank = await rejection(api.as(client.token).tickets.create({ ...newTicket, title: '   ' }));
    expect(blank.data.issues?.map((issue) => issue.path)).toEqual(['title']);
    const long = await rejection(
      api.as(client.token).tickets.create({ ...newTicket, description: 'x'.repeat(20_001) }),
    );
    expect(long.data.issues?.map((issue) => issue.path)).toEqual(['description']);
  });

  it('given a requester choosing critical priority, then FIELD_NOT_ALLOWED and nothing is written', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const error = await rejection(
      api.as(client.token).tickets.create({ ...newTicket, priority: 'critical' }),
    );
    expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'FIELD_NOT_ALLOWED' } });
    expect(error.message).toContain('priority');
    expect(await probe.ticketsCreatedBy(client.user.id)).toEqual([]);
  });

  it('given a requester naming onBehalfOfId, then FIELD_NOT_ALLOWED and nothing is written', async () => {
    const { client, writer } = await createWorkspaceWithCast(api.db);
    const error = await rejection(
      api.as(client.token).tickets.create({ ...newTicket, onBehalfOfId: writer.user.id }),
    );
    expect(error.data.appCode).toBe('FIELD_NOT_ALLOWED');
    expect(await probe.ticketsCreatedBy(writer.user.id)).toEqual([]);
    expect(await probe.ticketsCreatedBy(client.user.id)).toEqual([]);
  });

  it('given support creating on behalf of a requester, then the requester owns it, the event names support, and critical is allowed', async () => {
    const { support, client } = await createWorkspaceWithCast(api.db);

    const ticket = await api
      .as(support.token)
      .tickets.create({ ...newTicket, priority: 'critical', onBehalfOfId: client.user.id });

    expect(ticket).toMatchObject({ createdBy: client.user.id, priority: 'critical' });
    const [event] = await probe.events(ticket.id);
    expect(event).toMatchObject({ action: 'ticket.created', actorId: support.user.id });
    expect(await api.as(client.token).tickets.get({ id: ticket.id })).toEqual(ticket);
  });

  it('given staff naming a requester who is inactive, staff, or of another workspace, then INVALID_REQUESTER', async () => {
    const { workspace, admin, support } = await createWorkspaceWithCast(api.db);
    const other = await createWorkspace(api.db);
    const [inactive, foreign] = await Promise.all([
      createUser(api.db, { role: 'client', workspaceId: workspace.id, isActive: false }),
      createUser(api.db, { role: 'client', workspaceId: other.id }),
    ]);
    for (const onBehalfOfId of [inactive.user.id, foreign.user.id, support.user.id, randomUUID()]) {
      const error = await rejection(api.as(admin.token).tickets.create({ ...newTicket, onBehalfOfId }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'INVALID_REQUESTER' } });
    }
    expect(await probe.ticketsCreatedBy(inactive.user.id)).toEqual([]);
    expect(await probe.ticketsCreatedBy(foreign.user.id)).toEqual([]);
  });

  it('given a superadmin, then they must name the workspace, which must exist', async () => {
    const { workspace, superadmin, client } = await createWorkspaceWithCast(api.db);
    const missing = await rejection(api.as(superadmin.token).tickets.create(newTicket));
    expect(missing.data.appCode).toBe('WORKSPACE_REQUIRED');
    const unknown = await rejection(
      api.as(superadmin.token).tickets.create({ ...newTicket, workspaceId: randomUUID() }),
    );
    expect(unknown.data.appCode).toBe('WORKSPACE_NOT_FOUND');

    const ticket = await api
      .as(superadmin.token)
      .tickets.create({ ...newTicket, workspaceId: workspace.id, onBehalfOfId: client.user.id });
    expect(ticket).toMatchObject({ workspaceId: workspace.id, createdBy: client.user.id });
  });

  it('given a requester naming another workspace, then WORKSPACE_NOT_FOUND', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const other = await createWorkspace(api.db);
    const error = await rejection(
      api.as(client.token).tickets.create({ ...newTicket, workspaceId: other.id }),
    );
    expect(error).toMatchObject({ code: 'NOT_FOUND', data: { appCode: 'WORKSPACE_NOT_FOUND' } });
  });
});

describe('tickets.get', () => {
  it('answers the same NOT_FOUND for another requester’s ticket, another workspace’s ticket and a missing id', async () => {
    const { workspace, writer, client, admin } = await createWorkspaceWithCast(api.db);
    const other = await createWorkspaceWithCast(api.db);
    const clientTicket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const foreignTicket = await createTicket(api.db, {
      workspaceId: other.workspace.id,
      createdBy: other.client.user.id,
    });

    const answers = await Promise.all([
      rejection(api.as(writer.token).tickets.get({ id: clientTicket.id })),
      rejection(api.as(admin.token).tickets.get({ id: foreignTicket.id })),
      rejection(api.as(admin.token).tickets.get({ id: randomUUID() })),
    ]);

    for (const answer of answers) {
      expect(answer).toMatchObject({ code: 'NOT_FOUND', message: 'Ticket not found.' });
      expect(answer.data.appCode).toBe('TICKET_NOT_FOUND');
    }
    expect(await api.as(admin.token).tickets.get({ id: clientTicket.id })).toMatchObject({
      id: clientTicket.id,
    });
    expect(await api.as(client.token).tickets.get({ id: clientTicket.id })).toMatchObject({
      id: clientTicket.id,
    });
  });
});

describe('tickets.list visibility', () => {
  it('a writer lists only their own tickets', async () => {
    const { workspace, writer, client } = await createWorkspaceWithCast(api.db);
    const mine = await createTicket(api.db, { workspaceId: workspace.id, createdBy: writer.user.id });
    await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });

    const page = await api.as(writer.token).tickets.list({});

    expect(page.items.map((ticket) => ticket.id)).toEqual([mine.id]);
    const filtered = await api.as(writer.token).tickets.list({ createdBy: client.user.id });
    expect(filtered.items).toEqual([]);
  });

  it('staff list every ticket of their workspace and none of another workspace', async () => {
    const { workspace, support, writer, client } = await createWorkspaceWithCast(api.db);
    const other = await createWorkspaceWithCast(api.db);
    const ours = await Promise.all([
      createTicket(api.db, { workspaceId: workspace.id, createdBy: writer.user.id }),
      createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id }),
    ]);
    await createTicket(api.db, { workspaceId: other.workspace.id, createdBy: other.client.user.id });

    const page = await api.as(support.token).tickets.list({});

    expect(page.items.map((ticket) => ticket.id).sort()).toEqual(ours.map((ticket) => ticket.id).sort());
    const naming = await rejection(api.as(support.token).tickets.list({ workspaceId: other.workspace.id }));
    expect(naming.code).toBe('NOT_FOUND');
  });

  it('a superadmin lists one workspace when they name it', async () => {
    const { workspace, superadmin, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const page = await api.as(superadmin.token).tickets.list({ workspaceId: workspace.id });
    expect(page.items.map((item) => item.id)).toEqual([ticket.id]);
  });
});

describe('tickets.assign', () => {
  it('a writer assigning a client’s ticket gets FORBIDDEN, and so does a client on their own ticket', async () => {
    const { workspace, writer, client, support } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });

    for (const requester of [writer, client]) {
      const error = await rejection(
        api.as(requester.token).tickets.assign({ id: ticket.id, assigneeId: support.user.id }),
      );
      expect(error.code).toBe('FORBIDDEN');
    }
    expect(await probe.ticket(ticket.id)).toEqual(ticket);
  });

  it('assigning the same user twice succeeds twice and writes exactly one audit event and one notification', async () => {
    const { workspace, admin, support, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });

    const first = await api.as(admin.token).tickets.assign({ id: ticket.id, assigneeId: support.user.id });
    const second = await api.as(admin.token).tickets.assign({ id: ticket.id, assigneeId: support.user.id });

    expect(first).toMatchObject({ assignedTo: support.user.id, version: 2 });
    expect(second).toEqual(first);
    const events = await probe.events(ticket.id);
    expect(events.map((event) => [event.action, event.data])).toEqual([
      ['ticket.assigned', { changes: { assignedTo: { from: null, to: support.user.id } } }],
    ]);
    const notifications = await probe.notifications(ticket.id);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      type: 'ticket.assigned',
      userId: support.user.id,
      actorId: admin.user.id,
      data: { title: ticket.title, from: null, to: support.user.id },
    });
  });

  it('notifies the new assignee only, never the actor assigning themselves', async () => {
    const { workspace, admin, support, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });

    await api.as(support.token).tickets.assign({ id: ticket.id, assigneeId: support.user.id });
    expect(await probe.notifications(ticket.id)).toEqual([]);

    await api.as(support.token).tickets.assign({ id: ticket.id, assigneeId: admin.user.id });
    const notifications = await probe.notifications(ticket.id);
    expect(notifications.map((n) => [n.type, n.userId])).toEqual([['ticket.assigned', admin.user.id]]);
    expect(await probe.events(ticket.id)).toHaveLength(2);
  });

  it('unassigning with null writes an event and notifies nobody', async () => {
    const { workspace, admin, support, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: workspace.id,
      createdBy: client.user.id,
      assignedTo: support.user.id,
    });
    const result = await api.as(admin.token).tickets.assign({ id: ticket.id, assigneeId: null });
    expect(result.assignedTo).toBeNull();
    expect(await probe.notifications(ticket.id)).toEqual([]);
    expect((await probe.events(ticket.id)).map((event) => event.data)).toEqual([
      { changes: { assignedTo: { from: support.user.id, to: null } } },
    ]);
  });

  it('accepts a superadmin as assignee; refuses a requester, an inactive agent, another workspace’s agent or a stranger', async () => {
    const { workspace, admin, writer, superadmin, client } = await createWorkspaceWithCast(api.db);
    const other = await createWorkspace(api.db);
    const [inactive, foreign] = await Promise.all([
      createUser(api.db, { role: 'support', workspaceId: workspace.id, isActive: false }),
      createUser(api.db, { role: 'support', workspaceId: other.id }),
    ]);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });

    for (const assigneeId of [writer.user.id, inactive.user.id, foreign.user.id, randomUUID()]) {
      const error = await rejection(api.as(admin.token).tickets.assign({ id: ticket.id, assigneeId }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'INVALID_ASSIGNEE' } });
    }
    expect(await probe.ticket(ticket.id)).toEqual(ticket);
    expect(await probe.events(ticket.id)).toEqual([]);

    const assigned = await api
      .as(admin.token)
      .tickets.assign({ id: ticket.id, assigneeId: superadmin.user.id });
    expect(assigned.assignedTo).toBe(superadmin.user.id);
  });

  it('staff of another workspace get NOT_FOUND', async () => {
    const { workspace, client } = await createWorkspaceWithCast(api.db);
    const other = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const error = await rejection(
      api.as(other.admin.token).tickets.assign({ id: ticket.id, assigneeId: other.support.user.id }),
    );
    expect(error.data.appCode).toBe('TICKET_NOT_FOUND');
  });
});

describe('tickets.escalate', () => {
  it('escalating twice succeeds twice and writes exactly one audit event and one notification to the assignee', async () => {
    const { workspace, admin, support, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: workspace.id,
      createdBy: client.user.id,
      assignedTo: support.user.id,
      priority: 'low',
    });

    const first = await api.as(admin.token).tickets.escalate({ id: ticket.id, reason: 'VIP customer' });
    const second = await api.as(admin.token).tickets.escalate({ id: ticket.id });

    expect(first).toMatchObject({ status: 'escalated', priority: 'critical', isEscalated: true, version: 2 });
    expect(second).toEqual(first);
    const events = await probe.events(ticket.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'ticket.escalated',
      data: {
        reason: 'VIP customer',
        changes: {
          status: { from: 'open', to: 'escalated' },
          priority: { from: 'low', to: 'critical' },
          isEscalated: { from: false, to: true },
        },
      },
    });
    const notifications = await probe.notifications(ticket.id);
    expect(notifications.map((n) => [n.type, n.userId])).toEqual([['ticket.escalated', support.user.id]]);
  });

  it('without an assignee, notifies every active admin and support of the workspace except the actor', async () => {
    const { workspace, admin, support, client, writer } = await createWorkspaceWithCast(api.db);
    const [secondSupport, inactiveSupport] = await Promise.all([
      createUser(api.db, { role: 'support', workspaceId: workspace.id }),
      createUser(api.db, { role: 'support', workspaceId: workspace.id, isActive: false }),
    ]);
    const other = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });

    await api.as(support.token).tickets.escalate({ id: ticket.id });

    const recipients = (await probe.notifications(ticket.id)).map((n) => n.userId).sort();
    expect(recipients).toEqual([admin.user.id, secondSupport.user.id].sort());
    for (const outsider of [support, client, writer, other.admin, other.support]) {
      expect(recipients).not.toContain(outsider.user.id);
    }
    expect(recipients).not.toContain(inactiveSupport.user.id);
  });

  it('with the actor as assignee, notifies nobody', async () => {
    const { workspace, support, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: workspace.id,
      createdBy: client.user.id,
      assignedTo: support.user.id,
    });
    await api.as(support.token).tickets.escalate({ id: ticket.id });
    expect(await probe.notifications(ticket.id)).toEqual([]);
    expect(await probe.events(ticket.id)).toHaveLength(1);
  });

  it('a closed ticket cannot be escalated: INVALID_TRANSITION and nothing changes', async () => {
    const { workspace, admin, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: workspace.id,
      createdBy: client.user.id,
      status: 'closed',
      resolvedAt: new Date(),
    });
    const error = await rejection(api.as(admin.token).tickets.escalate({ id: ticket.id }));
    expect(error.data.appCode).toBe('INVALID_TRANSITION');
    expect(await probe.ticket(ticket.id)).toEqual(ticket);
  });

  it('refuses a reason over 2000 characters, naming it', async () => {
    const { workspace, admin, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const error = await rejection(
      api.as(admin.token).tickets.escalate({ id: ticket.id, reason: 'x'.repeat(2001) }),
    );
    expect(error.data.issues?.map((issue) => issue.path)).toEqual(['reason']);
    expect(await probe.ticket(ticket.id)).toEqual(ticket);
  });
});

describe('tickets.close', () => {
  it('closes with resolvedAt, notifies the creator only, and closing again is TICKET_ALREADY_CLOSED', async () => {
    const { workspace, admin, support, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: workspace.id,
      createdBy: client.user.id,
      assignedTo: support.user.id,
      status: 'in_progress',
    });

    const closed = await api.as(admin.token).tickets.close({ id: ticket.id, reason: 'Fixed the toner' });

    expect(closed).toMatchObject({ status: 'closed', version: 2 });
    expect(closed.resolvedAt).toBeInstanceOf(Date);
    expect(closed.resolvedAt?.getTime()).toBe(closed.updatedAt.getTime());
    const notifications = await probe.notifications(ticket.id);
    expect(notifications.map((n) => [n.type, n.userId, n.data])).toEqual([
      ['ticket.closed', client.user.id, { title: ticket.title, from: 'in_progress', to: 'closed' }],
    ]);
    expect((await probe.events(ticket.id)).map((event) => [event.action, event.data])).toEqual([
      [
        'ticket.closed',
        { changes: { status: { from: 'in_progress', to: 'closed' } }, reason: 'Fixed the toner' },
      ],
    ]);

    const again = await rejection(api.as(admin.token).tickets.close({ id: ticket.id }));
    expect(again).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'TICKET_ALREADY_CLOSED' } });
    expect(await probe.ticket(ticket.id)).toMatchObject({ version: 2, resolvedAt: closed.resolvedAt });
    expect(await probe.events(ticket.id)).toHaveLength(1);
    expect(await probe.notifications(ticket.id)).toHaveLength(1);
  });

  it('is staff only: the creator gets FORBIDDEN', async () => {
    const { workspace, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const error = await rejection(api.as(client.token).tickets.close({ id: ticket.id }));
    expect(error.code).toBe('FORBIDDEN');
    expect(await probe.ticket(ticket.id)).toEqual(ticket);
  });
});

describe('tickets.reopen', () => {
  const closedTicket = (workspaceId: string, createdBy: string) =>
    createTicket(api.db, { workspaceId, createdBy, status: 'closed', resolvedAt: new Date() });

  it('staff reopen to in_progress: resolvedAt cleared, the creator notified, the event written', async () => {
    const { workspace, support, client } = await createWorkspaceWithCast(api.db);
    const ticket = await closedTicket(workspace.id, client.user.id);

    const reopened = await api
      .as(support.token)
      .tickets.reopen({ id: ticket.id, status: 'in_progress', reason: 'Still broken' });

    expect(reopened).toMatchObject({ status: 'in_progress', resolvedAt: null, version: 2 });
    expect((await probe.notifications(ticket.id)).map((n) => [n.type, n.userId, n.data])).toEqual([
      ['ticket.reopened', client.user.id, { title: ticket.title, from: 'closed', to: 'in_progress' }],
    ]);
    expect((await probe.events(ticket.id)).map((event) => [event.action, event.actorId, event.data])).toEqual(
      [
        [
          'ticket.reopened',
          support.user.id,
          { changes: { status: { from: 'closed', to: 'in_progress' } }, reason: 'Still broken' },
        ],
      ],
    );
  });

  it('the creator reopens their own ticket to open (the default) and, being the actor, is not notified', async () => {
    const { workspace, client } = await createWorkspaceWithCast(api.db);
    const ticket = await closedTicket(workspace.id, client.user.id);

    const reopened = await api.as(client.token).tickets.reopen({ id: ticket.id });

    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null });
    expect(await probe.notifications(ticket.id)).toEqual([]);
    expect(await probe.events(ticket.id)).toHaveLength(1);
  });

  it('a requester may not reopen to in_progress', async () => {
    const { workspace, client } = await createWorkspaceWithCast(api.db);
    const ticket = await closedTicket(workspace.id, client.user.id);
    const error = await rejection(
      api.as(client.token).tickets.reopen({ id: ticket.id, status: 'in_progress' }),
    );
    expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'FIELD_NOT_ALLOWED' } });
    expect(await probe.ticket(ticket.id)).toEqual(ticket);
  });

  it('another requester of the workspace gets NOT_FOUND', async () => {
    const { workspace, client, writer } = await createWorkspaceWithCast(api.db);
    const ticket = await closedTicket(workspace.id, client.user.id);
    const error = await rejection(api.as(writer.token).tickets.reopen({ id: ticket.id }));
    expect(error.data.appCode).toBe('TICKET_NOT_FOUND');
    expect(await probe.ticket(ticket.id)).toEqual(ticket);
  });

  it.each(['open', 'in_progress', 'awaiting_response', 'escalated'] as const)(
    'a %s ticket cannot be reopened: TICKET_NOT_CLOSED and nothing changes',
    async (status) => {
      const { workspace, admin, client } = await createWorkspaceWithCast(api.db);
      const ticket = await createTicket(api.db, {
        workspaceId: workspace.id,
        createdBy: client.user.id,
        status,
      });
      const error = await rejection(api.as(admin.token).tickets.reopen({ id: ticket.id }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'TICKET_NOT_CLOSED' } });
      expect(await probe.ticket(ticket.id)).toEqual(ticket);
      expect(await probe.events(ticket.id)).toEqual([]);
    },
  );

  it('a ticket closed, reopened and closed again keeps one event per step and a fresh resolvedAt', async () => {
    const { workspace, admin, client } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    await api.as(admin.token).tickets.close({ id: ticket.id });
    await api.as(client.token).tickets.reopen({ id: ticket.id });
    const closedAgain = await api.as(admin.token).tickets.close({ id: ticket.id });
    expect(closedAgain).toMatchObject({ status: 'closed', version: 4 });
    expect((await probe.events(ticket.id)).map((event) => event.action).sort()).toEqual([
      'ticket.closed',
      'ticket.closed',
      'ticket.reopened',
    ]);
    expect((await probe.notifications(ticket.id)).map((n) => n.type)).toEqual([
      'ticket.closed',
      'ticket.closed',
    ]);
  });
});
