import { recordAuditEvent } from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { appCodeOf, rejection } from '../../testing/rejection';

const api = await createTestApi();
afterAll(() => api.close());

// Timestamps keep milliseconds; events of one millisecond are ordered by their (random) id. A history
// whose order the test asserts therefore spaces its events out.
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 3));

/**
 * A workspace whose client's ticket has a history: created (by the client), assigned (by the admin),
 * a public reply and an internal note (by support); plus a second ticket of the writer's.
 */
async function givenTicketWithHistory() {
  const cast = await createWorkspaceWithCast(api.db);
  const { workspace, client, admin, support, writer } = cast;
  const ticket = await createTicket(api.db, {
    workspaceId: workspace.id,
    createdBy: client.user.id,
    assignedTo: support.user.id,
  });
  const writerTicket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: writer.user.id });
  // The ticket commands belong to another module: their events are written here the way they write them.
  await nextMillisecond();
  await recordAuditEvent(api.db, {
    workspaceId: workspace.id,
    ticketId: ticket.id,
    actorId: client.user.id,
    action: 'ticket.created',
    data: { title: ticket.title },
  });
  await nextMillisecond();
  await recordAuditEvent(api.db, {
    workspaceId: workspace.id,
    ticketId: writerTicket.id,
    actorId: writer.user.id,
    action: 'ticket.created',
    data: { title: writerTicket.title },
  });
  await nextMillisecond();
  await recordAuditEvent(api.db, {
    workspaceId: workspace.id,
    ticketId: ticket.id,
    actorId: admin.user.id,
    action: 'ticket.assigned',
    data: { from: null, to: support.user.id },
  });
  await nextMillisecond();
  const reply = await api.as(support.token).messages.create({ ticketId: ticket.id, body: 'On it' });
  await nextMillisecond();
  const note = await api
    .as(support.token)
    .messages.create({ ticketId: ticket.id, body: 'Hm', internal: true });
  return { ...cast, ticket, writerTicket, reply, note };
}

const actionsOf = (page: { items: Array<{ action: string }> }) => page.items.map((event) => event.action);

describe('logs.list for staff', () => {
  it('given a workspace log, when staff list it, then every event of the workspace comes newest first, internal ones included', async () => {
    const { admin, ticket, writerTicket } = await givenTicketWithHistory();

    const page = await api.as(admin.token).logs.list({});

    expect(actionsOf(page)).toEqual([
      'message.created',
      'message.created',
      'ticket.assigned',
      'ticket.created',
      'ticket.created',
    ]);
    expect(page.items.map((event) => event.ticketId)).toEqual([
      ticket.id,
      ticket.id,
      ticket.id,
      writerTicket.id,
      ticket.id,
    ]);
    expect(page.items[0]).toMatchObject({ internal: true, data: { internal: true } });
    expect(page.nextCursor).toBeNull();
  });

  it('filters by ticket, by action and by actor, alone and together', async () => {
    const { support, admin, client, writer, ticket, writerTicket, note, reply } =
      await givenTicketWithHistory();
    const list = (filter: object) => api.as(support.token).logs.list(filter);

    expect(actionsOf(await list({ ticketId: writerTicket.id }))).toEqual(['ticket.created']);
    const created = await list({ action: 'ticket.created' });
    expect(created.items.map((event) => event.actorId).sort()).toEqual(
      [client.user.id, writer.user.id].sort(),
    );
    expect(actionsOf(await list({ actorId: admin.user.id }))).toEqual(['ticket.assigned']);
    const messages = await list({ ticketId: ticket.id, action: 'message.created', actorId: support.user.id });
    expect(messages.items.map((event) => event.data.messageId)).toEqual([note.id, reply.id]);
    expect((await list({ ticketId: writerTicket.id, actorId: admin.user.id })).items).toEqual([]);
  });

  it('given 30 events sharing timestamps, when paging by 4, then each comes once, newest first', async () => {
    const { admin, workspace, ticket } = await givenTicketWithHistory();
    const base = Date.now() + 60_000;
    await api.db
      .insertInto('auditEvents')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          workspaceId: workspace.id,
          ticketId: ticket.id,
          actorId: admin.user.id,
          action: 'ticket.updated',
          data: JSON.stringify({ i }),
          createdAt: new Date(base + Math.floor(i / 3)),
        })),
      )
      .execute();
    const expected = (
      await api.db
        .selectFrom('auditEvents')
        .select('id')
        .where('workspaceId', '=', workspace.id)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .execute()
    ).map((row) => row.id);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.as(admin.token).logs.list({ limit: 4, cursor });
      seen.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen.length < 100);

    expect(seen).toHaveLength(35);
    expect(seen).toEqual(expected);
  });

  it('given another workspace, then its staff see nothing of this one: not in their log, NOT_FOUND by ticket, WORKSPACE_NOT_FOUND by id', async () => {
    const { ticket, workspace, admin } = await givenTicketWithHistory();
    const elsewhere = await createWorkspaceWithCast(api.db);

    const theirLog = await api.as(elsewhere.admin.token).logs.list({ limit: 100 });
    expect(theirLog.items.filter((event) => event.workspaceId === workspace.id)).toEqual([]);
    expect(theirLog.items.filter((event) => event.actorId === admin.user.id)).toEqual([]);

    const byTicket = await rejection(api.as(elsewhere.support.token).logs.list({ ticketId: ticket.id }));
    expect(byTicket.code).toBe('NOT_FOUND');
    expect(appCodeOf(byTicket)).toBe('TICKET_NOT_FOUND');

    const byWorkspace = await rejection(
      api.as(elsewhere.admin.token).logs.list({ workspaceId: workspace.id }),
    );
    expect(byWorkspace.code).toBe('NOT_FOUND');
    expect(appCodeOf(byWorkspace)).toBe('WORKSPACE_NOT_FOUND');
  });

  it('given a superadmin, then they read one workspace by id or every workspace at once', async () => {
    const first = await givenTicketWithHistory();
    const second = await givenTicketWithHistory();

    const one = await api.as(first.superadmin.token).logs.list({ workspaceId: first.workspace.id });
    expect(one.items).toHaveLength(5);
    expect(new Set(one.items.map((event) => event.workspaceId))).toEqual(new Set([first.workspace.id]));

    // Other test files share the database, so walk the whole log rather than trust one page.
    const workspaces = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await api
        .as(first.superadmin.token)
        .logs.list({ action: 'ticket.assigned', limit: 100, cursor });
      for (const event of page.items) workspaces.add(event.workspaceId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(workspaces).toContain(first.workspace.id);
    expect(workspaces).toContain(second.workspace.id);

    const byTicket = await api.as(first.superadmin.token).logs.list({ ticketId: second.ticket.id });
    expect(byTicket.items).toHaveLength(4);
  });
});

describe('logs.list for requesters', () => {
  it("given their own ticket, when the requester lists its events, then they see them minus the internal note's", async () => {
    const { client, ticket, reply } = await givenTicketWithHistory();

    const page = await api.as(client.token).logs.list({ ticketId: ticket.id });

    expect(actionsOf(page)).toEqual(['message.created', 'ticket.assigned', 'ticket.created']);
    expect(page.items[0]).toMatchObject({ internal: false, data: { messageId: reply.id, internal: false } });
    expect(page.items.every((event) => !event.internal)).toBe(true);

    const filtered = await api.as(client.token).logs.list({ ticketId: ticket.id, action: 'message.created' });
    expect(filtered.items).toHaveLength(1);
  });

  it("given another requester's ticket or another workspace's, then TICKET_NOT_FOUND like a missing id", async () => {
    const { client, writerTicket } = await givenTicketWithHistory();
    const elsewhere = await givenTicketWithHistory();

    for (const ticketId of [writerTicket.id, elsewhere.ticket.id, '00000000-0000-4000-8000-000000000000']) {
      const error = await rejection(api.as(client.token).logs.list({ ticketId }));
      expect(error.code).toBe('NOT_FOUND');
      expect(appCodeOf(error)).toBe('TICKET_NOT_FOUND');
      expect(error.message).toBe('Ticket not found.');
    }
  });

  it('given no ticketId, when a requester lists the log, then FORBIDDEN: the workspace log is staff-only', async () => {
    const { client, writer } = await givenTicketWithHistory();

    for (const token of [client.token, writer.token]) {
      const error = await rejection(api.as(token).logs.list({}));
      expect(error.code).toBe('FORBIDDEN');
      expect(appCodeOf(error)).toBe('FORBIDDEN');
    }
  });

  it('given a forged cursor or an unknown action, then BAD_REQUEST', async () => {
    const { admin } = await givenTicketWithHistory();
    const forged = Buffer.from(
      JSON.stringify(['yesterday', '00000000-0000-4000-8000-000000000000']),
    ).toString('base64url');

    const cursor = await rejection(api.as(admin.token).logs.list({ cursor: forged }));
    expect(cursor.code).toBe('BAD_REQUEST');
    expect(appCodeOf(cursor)).toBe('INVALID_CURSOR');

    const action = await rejection(api.as(admin.token).logs.list({ action: 'ticket.deleted' } as never));
    expect(action.code).toBe('BAD_REQUEST');
    expect(appCodeOf(action)).toBe('VALIDATION_FAILED');
  });
});
