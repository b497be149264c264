import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import type { TicketRow } from '@tickets/db';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { appCodeOf, rejection } from '../../testing/rejection';

const api = await createTestApi();
afterAll(() => api.close());

/** A workspace with its cast and a client's ticket assigned to the support member. */
async function givenAssignedTicket(overrides: Partial<Pick<TicketRow, 'status' | 'assignedTo'>> = {}) {
  const cast = await createWorkspaceWithCast(api.db);
  const ticket = await createTicket(api.db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
    assignedTo: cast.support.user.id,
    ...overrides,
  });
  return { ...cast, ticket };
}

const ticketRow = (id: string) =>
  api.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const messagesOf = (ticketId: string) =>
  api.db.selectFrom('messages').selectAll().where('ticketId', '=', ticketId).execute();
const eventsOf = (ticketId: string) =>
  api.db.selectFrom('auditEvents').selectAll().where('ticketId', '=', ticketId).execute();
const notifiedUsers = async (ticketId: string) =>
  (await api.db.selectFrom('notifications').select('userId').where('ticketId', '=', ticketId).execute())
    .map((row) => row.userId)
    .sort();

/** Nothing at all was written about the ticket: no message, no event, no notification, no ticket change. */
async function expectUntouched(ticket: TicketRow) {
  expect(await messagesOf(ticket.id)).toEqual([]);
  expect(await eventsOf(ticket.id)).toEqual([]);
  expect(await notifiedUsers(ticket.id)).toEqual([]);
  expect(await ticketRow(ticket.id)).toEqual(ticket);
}

describe('messages.create', () => {
  it('given a visible ticket, when staff reply, then the message is theirs, public, and audited', async () => {
    const { admin, ticket } = await givenAssignedTicket();

    const message = await api.as(admin.token).messages.create({ ticketId: ticket.id, body: 'We are on it.' });

    expect(message).toMatchObject({
      ticketId: ticket.id,
      authorId: admin.user.id,
      author: { id: admin.user.id, name: admin.user.name, role: 'admin' },
      body: 'We are on it.',
      internal: false,
    });
    expect(message.createdAt).toBeInstanceOf(Date);
    const [event] = await eventsOf(ticket.id);
    expect(event).toMatchObject({
      action: 'message.created',
      actorId: admin.user.id,
      workspaceId: ticket.workspaceId,
      internal: false,
      data: { messageId: message.id, internal: false },
    });
  });

  it('given an internal note, when it is written, then its audit event is flagged internal', async () => {
    const { admin, ticket } = await givenAssignedTicket();

    const note = await api
      .as(admin.token)
      .messages.create({ ticketId: ticket.id, body: 'VIP', internal: true });

    expect(note.internal).toBe(true);
    const [event] = await eventsOf(ticket.id);
    expect(event).toMatchObject({
      action: 'message.created',
      internal: true,
      data: { messageId: note.id, internal: true },
    });
  });

  it('given a body, when it is stored, then it is kept exactly as sent (indentation and newlines)', async () => {
    const { client, ticket } = await givenAssignedTicket();
    const body = '    indented code\n\nthen text\n';

    const message = await api.as(client.token).messages.create({ ticketId: ticket.id, body });

    expect(message.body).toBe(body);
  });

  it('given a requester, when they post internal:true, then FORBIDDEN whatever the ticket and nothing is written', async () => {
    const { client, writer, ticket } = await givenAssignedTicket();
    const othersTicket = await createTicket(api.db, {
      workspaceId: ticket.workspaceId,
      createdBy: writer.user.id,
    });

    for (const target of [ticket, othersTicket]) {
      const error = await rejection(
        api.as(client.token).messages.create({ ticketId: target.id, body: 'psst', internal: true }),
      );
      expect(error.code).toBe('FORBIDDEN');
      expect(appCodeOf(error)).toBe('FORBIDDEN');
      await expectUntouched(target);
    }
  });

  it('given a closed ticket, when its requester posts, then TICKET_CLOSED tells them to reopen and nothing is written', async () => {
    const { client, ticket } = await givenAssignedTicket({ status: 'closed' });

    const error = await rejection(
      api.as(client.token).messages.create({ ticketId: ticket.id, body: 'Still broken' }),
    );

    expect(error.code).toBe('BAD_REQUEST');
    expect(appCodeOf(error)).toBe('TICKET_CLOSED');
    expect(error.message).toMatch(/reopen/i);
    await expectUntouched(ticket);
  });

  it('given a closed ticket, when staff reply or add a note, then it is accepted and the ticket stays closed', async () => {
    const { support, ticket } = await givenAssignedTicket({ status: 'closed' });

    await api.as(support.token).messages.create({ ticketId: ticket.id, body: 'Follow-up: fixed for good.' });
    await api
      .as(support.token)
      .messages.create({ ticketId: ticket.id, body: 'Root cause: cache', internal: true });

    expect(await messagesOf(ticket.id)).toHaveLength(2);
    expect((await ticketRow(ticket.id)).status).toBe('closed');
  });

  it('given a ticket the caller cannot see, when they post, then TICKET_NOT_FOUND like a missing id and nothing is written', async () => {
    const { client, writer, ticket } = await givenAssignedTicket();
    const elsewhere = await createWorkspaceWithCast(api.db);
    const writerTicket = await createTicket(api.db, {
      workspaceId: ticket.workspaceId,
      createdBy: writer.user.id,
    });
    // Thunks, not promises: a call started before its turn would reject with nobody awaiting it yet.
    const attempts = [
      () => api.as(client.token).messages.create({ ticketId: writerTicket.id, body: 'hello?' }),
      () => api.as(elsewhere.admin.token).messages.create({ ticketId: ticket.id, body: 'hello?' }),
      () => api.as(elsewhere.client.token).messages.create({ ticketId: ticket.id, body: 'hello?' }),
      () =>
        api
          .as(client.token)
          .messages.create({ ticketId: '00000000-0000-4000-8000-000000000000', body: 'hello?' }),
    ];
    for (const attempt of attempts) {
      const error = await rejection(attempt());
      expect(error.code).toBe('NOT_FOUND');
      expect(appCodeOf(error)).toBe('TICKET_NOT_FOUND');
      expect(error.message).toBe('Ticket not found.');
    }
    await expectUntouched(ticket);
    await expectUntouched(writerTicket);
  });

  it('given a superadmin, when they reply on any workspace ticket, then the message lands in that workspace', async () => {
    const { superadmin, ticket } = await givenAssignedTicket();

    const message = await api
      .as(superadmin.token)
      .messages.create({ ticketId: ticket.id, body: 'Platform team here.' });

    const [row] = await messagesOf(ticket.id);
    expect(row).toMatchObject({
      id: message.id,
      workspaceId: ticket.workspaceId,
      authorId: superadmin.user.id,
    });
  });

  it.each([
    ['an empty body', { body: '' }, 'body'],
    ['a blank body', { body: ' \n\t ' }, 'body'],
    ['a body over 50 000 characters', { body: 'x'.repeat(50_001) }, 'body'],
    ['a NUL character', { body: 'a\u0000b' }, 'body'],
    ['an unknown field', { body: 'hi', authorId: '00000000-0000-4000-8000-000000000000' }, ''],
    ['a ticketId that is not a uuid', { body: 'hi', ticketId: '42' }, 'ticketId'],
  ])(
    'given %s, when posting, then BAD_REQUEST names the field and nothing is written',
    async (_name, patch, field) => {
      const { admin, ticket } = await givenAssignedTicket();

      const error = await rejection(
        api.as(admin.token).messages.create({ ticketId: ticket.id, ...patch } as never),
      );

      expect(error.code).toBe('BAD_REQUEST');
      expect(appCodeOf(error)).toBe('VALIDATION_FAILED');
      if (field) expect(error.message).toContain(field);
      await expectUntouched(ticket);
    },
  );

  it('accepts a body of exactly 50 000 characters', async () => {
    const { client, ticket } = await givenAssignedTicket();

    const message = await api
      .as(client.token)
      .messages.create({ ticketId: ticket.id, body: 'x'.repeat(50_000) });

    expect(message.body).toHaveLength(50_000);
  });
});

describe('messages.create: first response and activity', () => {
  it('given requester messages and an internal note, then firstResponseAt stays null until the first public staff reply, which later replies do not move', async () => {
    const { client, support, admin, ticket } = await givenAssignedTicket();

    await api.as(client.token).messages.create({ ticketId: ticket.id, body: 'Anyone?' });
    await api.as(support.token).messages.create({ ticketId: ticket.id, body: 'Looking', internal: true });
    expect((await ticketRow(ticket.id)).firstResponseAt).toBeNull();

    const reply = await api.as(support.token).messages.create({ ticketId: ticket.id, body: 'Hello!' });
    expect((await ticketRow(ticket.id)).firstResponseAt).toEqual(reply.createdAt);

    await api.as(admin.token).messages.create({ ticketId: ticket.id, body: 'Me too' });
    expect((await ticketRow(ticket.id)).firstResponseAt).toEqual(reply.createdAt);
  });

  it('given concurrent first staff replies, then firstResponseAt is the earliest of them and set once', async () => {
    const { support, admin, ticket } = await givenAssignedTicket();

    const replies = await Promise.all(
      [support, admin, support, admin].map((who, i) =>
        api.as(who.token).messages.create({ ticketId: ticket.id, body: `reply ${i}` }),
      ),
    );

    const earliest = Math.min(...replies.map((reply) => reply.createdAt.getTime()));
    expect((await ticketRow(ticket.id)).firstResponseAt?.getTime()).toBe(earliest);
  });

  it('given a public message, then updatedAt follows it and the version is unchanged; given an internal note, then the ticket is untouched', async () => {
    const { client, support, ticket } = await givenAssignedTicket();

    const note = await api
      .as(support.token)
      .messages.create({ ticketId: ticket.id, body: 'hm', internal: true });
    expect(await ticketRow(ticket.id)).toEqual(ticket);
    expect(note.createdAt.getTime()).toBeGreaterThanOrEqual(ticket.updatedAt.getTime());

    const message = await api.as(client.token).messages.create({ ticketId: ticket.id, body: 'Any news?' });
    const after = await ticketRow(ticket.id);
    expect(after.updatedAt).toEqual(message.createdAt);
    expect(after.version).toBe(ticket.version);
    expect(after.firstResponseAt).toBeNull();
  });
});

describe('messages.create: notifications (CONTRACT.md §5)', () => {
  it('given a public reply by a third staff member, then the creator and the assignee are notified', async () => {
    const { admin, client, support, ticket } = await givenAssignedTicket();

    const message = await api.as(admin.token).messages.create({ ticketId: ticket.id, body: 'Update' });

    expect(await notifiedUsers(ticket.id)).toEqual([client.user.id, support.user.id].sort());
    const rows = await api.db
      .selectFrom('notifications')
      .selectAll()
      .where('ticketId', '=', ticket.id)
      .execute();
    for (const row of rows) {
      expect(row).toMatchObject({
        type: 'message.created',
        actorId: admin.user.id,
        workspaceId: ticket.workspaceId,
        data: { messageId: message.id, internal: false },
      });
    }
  });

  it('given a public reply by the assignee, then only the creator is notified (the actor never is)', async () => {
    const { client, support, ticket } = await givenAssignedTicket();

    await api.as(support.token).messages.create({ ticketId: ticket.id, body: 'Done' });

    expect(await notifiedUsers(ticket.id)).toEqual([client.user.id]);
  });

  it('given a message by the creator, then only the assignee is notified', async () => {
    const { client, support, ticket } = await givenAssignedTicket();

    await api.as(client.token).messages.create({ ticketId: ticket.id, body: 'Thanks' });

    expect(await notifiedUsers(ticket.id)).toEqual([support.user.id]);
  });

  it('given an unassigned ticket, when its creator posts, then nobody is notified', async () => {
    const { client, ticket } = await givenAssignedTicket({ assignedTo: null });

    await api.as(client.token).messages.create({ ticketId: ticket.id, body: 'Hello?' });

    expect(await notifiedUsers(ticket.id)).toEqual([]);
  });

  it('given an internal note by another staff member, then only the assignee is notified, never the creator', async () => {
    const { admin, support, ticket } = await givenAssignedTicket();

    await api.as(admin.token).messages.create({ ticketId: ticket.id, body: 'Careful', internal: true });

    expect(await notifiedUsers(ticket.id)).toEqual([support.user.id]);
  });

  it('given an internal note by the assignee or on an unassigned ticket, then nobody is notified', async () => {
    const assigned = await givenAssignedTicket();
    await api
      .as(assigned.support.token)
      .messages.create({ ticketId: assigned.ticket.id, body: 'n', internal: true });
    expect(await notifiedUsers(assigned.ticket.id)).toEqual([]);

    const unassigned = await givenAssignedTicket({ assignedTo: null });
    await api
      .as(unassigned.admin.token)
      .messages.create({ ticketId: unassigned.ticket.id, body: 'n', internal: true });
    expect(await notifiedUsers(unassigned.ticket.id)).toEqual([]);
  });

  it('given a staff-created ticket assigned to its own creator, when another staff member adds a note, then nobody is notified', async () => {
    const { admin, support, workspace } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: workspace.id,
      createdBy: support.user.id,
      assignedTo: support.user.id,
    });

    await api.as(admin.token).messages.create({ ticketId: ticket.id, body: 'n', internal: true });

    expect(await notifiedUsers(ticket.id)).toEqual([]);
  });
});

describe('messages.list', () => {
  it('given a public reply and an internal note, then the requester sees the reply but not the note, and staff see both oldest first', async () => {
    const { client, support, ticket } = await givenAssignedTicket();
    const question = await api.as(client.token).messages.create({ ticketId: ticket.id, body: 'Broken?' });
    const note = await api
      .as(support.token)
      .messages.create({ ticketId: ticket.id, body: 'Known bug', internal: true });
    const reply = await api.as(support.token).messages.create({ ticketId: ticket.id, body: 'Fix is coming' });

    const seenByClient = await api.as(client.token).messages.list({ ticketId: ticket.id });
    const seenBySupport = await api.as(support.token).messages.list({ ticketId: ticket.id });

    expect(seenByClient.items.map((m) => m.id)).toEqual([question.id, reply.id]);
    expect(seenByClient.items[1]).toMatchObject({
      body: 'Fix is coming',
      author: { id: support.user.id, name: support.user.name, role: 'support' },
    });
    expect(seenByClient.nextCursor).toBeNull();
    expect(seenBySupport.items.map((m) => m.id)).toEqual([question.id, note.id, reply.id]);
  });

  it('given a ticket the caller cannot see, then TICKET_NOT_FOUND', async () => {
    const { ticket, writer } = await givenAssignedTicket();
    const elsewhere = await createWorkspaceWithCast(api.db);

    for (const token of [writer.token, elsewhere.admin.token, elsewhere.client.token]) {
      const error = await rejection(api.as(token).messages.list({ ticketId: ticket.id }));
      expect(error.code).toBe('NOT_FOUND');
      expect(appCodeOf(error)).toBe('TICKET_NOT_FOUND');
    }
  });

  it('given 60 messages, many sharing a timestamp, when paging by 7, then every visible message comes once, in order', async () => {
    const { client, support, ticket } = await givenAssignedTicket();
    const base = Date.now();
    const inserted = await api.db
      .insertInto('messages')
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          workspaceId: ticket.workspaceId,
          ticketId: ticket.id,
          authorId: i % 3 === 0 ? support.user.id : client.user.id,
          body: `message ${i}`,
          internal: i % 5 === 0,
          // Groups of four share a millisecond, so the id has to break ties.
          createdAt: new Date(base + Math.floor(i / 4)),
        })),
      )
      .returning(['id', 'createdAt', 'internal'])
      .execute();
    const ordered = [...inserted].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1),
    );

    const walk = async (token: string) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await api.as(token).messages.list({ ticketId: ticket.id, limit: 7, cursor });
        ids.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 20);
      return ids;
    };

    expect(await walk(support.token)).toEqual(ordered.map((m) => m.id));
    expect(await walk(client.token)).toEqual(ordered.filter((m) => !m.internal).map((m) => m.id));
  });

  it('given a forged cursor, then BAD_REQUEST INVALID_CURSOR', async () => {
    const { client, ticket } = await givenAssignedTicket();
    const forged = Buffer.from(
      JSON.stringify(['not a date', '00000000-0000-4000-8000-000000000000']),
    ).toString('base64url');

    for (const cursor of [forged, 'garbage']) {
      const error = await rejection(api.as(client.token).messages.list({ ticketId: ticket.id, cursor }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(appCodeOf(error)).toBe('INVALID_CURSOR');
    }
  });
});
