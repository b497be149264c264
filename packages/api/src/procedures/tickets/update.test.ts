import {
  commandForTransition,
  isAllowedTransition,
  type TicketStatus,
  ticketStatuses,
  ticketTransitions,
} from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import type { TicketRow } from '@tickets/db';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { databaseProbe, rejection } from './test-support';

const api = await createTestApi();
afterAll(() => api.close());
const probe = databaseProbe(api);

async function givenTicket(overrides: Partial<Pick<TicketRow, 'status' | 'priority' | 'resolvedAt'>> = {}) {
  const cast = await createWorkspaceWithCast(api.db);
  const ticket = await createTicket(api.db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
    ...overrides,
  });
  return { ...cast, ticket };
}

/** The row, its events and notifications are exactly as before the refused call. */
async function expectUntouched(ticket: TicketRow) {
  expect(await probe.ticket(ticket.id)).toEqual(ticket);
  expect(await probe.events(ticket.id)).toEqual([]);
  expect(await probe.notifications(ticket.id)).toEqual([]);
}

const pairs = ticketStatuses.flatMap((from) =>
  ticketStatuses.filter((to) => to !== from).map((to) => ({ from, to })),
);
const updateEdges = pairs.filter(
  ({ from, to }) => isAllowedTransition(from, to) && commandForTransition(from, to) === 'update',
);
const refusedByUpdate = pairs.filter((pair) => !updateEdges.includes(pair));

describe('tickets.update status, through the transition table', () => {
  it('the table never reaches escalated from closed nor open from escalated, and leaves closed only to open or in_progress', () => {
    expect(isAllowedTransition('closed', 'escalated')).toBe(false);
    expect(isAllowedTransition('escalated', 'open')).toBe(false);
    expect(ticketTransitions.closed).toEqual(['open', 'in_progress']);
  });

  it.each(updateEdges)(
    'staff move a ticket from $from to $to: version +1, one ticket.updated event',
    async ({ from, to }) => {
      const { admin, ticket } = await givenTicket({ status: from });

      const updated = await api.as(admin.token).tickets.update({ id: ticket.id, status: to });

      expect(updated).toMatchObject({ status: to, version: ticket.version + 1 });
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(ticket.updatedAt.getTime());
      const events = await probe.events(ticket.id);
      expect(events.map((event) => [event.action, event.data])).toEqual([
        ['ticket.updated', { changes: { status: { from, to } } }],
      ]);
    },
  );

  it.each(refusedByUpdate)(
    'staff cannot move a ticket from $from to $to with update: INVALID_TRANSITION, nothing changes',
    async ({ from, to }) => {
      const { admin, ticket } = await givenTicket({
        status: from,
        ...(from === 'closed' ? { resolvedAt: new Date() } : {}),
      });

      const error = await rejection(
        api.as(admin.token).tickets.update({ id: ticket.id, status: to, title: 'Renamed' }),
      );

      expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'INVALID_TRANSITION' } });
      await expectUntouched(ticket);
    },
  );

  it('names the command that owns an edge the update may not walk', async () => {
    const { admin, ticket } = await givenTicket();
    const error = await rejection(api.as(admin.token).tickets.update({ id: ticket.id, status: 'closed' }));
    expect(error.message).toContain('tickets.close');
  });

  it('setting the current status again is no change: no version bump, no event', async () => {
    const { admin, ticket } = await givenTicket({ status: 'escalated' });
    const result = await api.as(admin.token).tickets.update({ id: ticket.id, status: 'escalated' });
    expect(result.version).toBe(ticket.version);
    await expectUntouched(ticket);
  });
});

describe('tickets.update fields', () => {
  it('records before and after of the changed fields only, bumps version and updatedAt', async () => {
    const { support, ticket } = await givenTicket();

    const updated = await api.as(support.token).tickets.update({
      id: ticket.id,
      expectedVersion: ticket.version,
      title: 'New title',
      description: ticket.description,
      category: 'payment',
      priority: 'critical',
    });

    expect(updated).toMatchObject({
      title: 'New title',
      category: 'payment',
      priority: 'critical',
      version: 2,
    });
    expect(updated.updatedAt.getTime()).toBeGreaterThan(ticket.updatedAt.getTime() - 1);
    const [event, ...rest] = await probe.events(ticket.id);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      action: 'ticket.updated',
      actorId: support.user.id,
      data: {
        changes: {
          title: { from: ticket.title, to: 'New title' },
          category: { from: 'general', to: 'payment' },
          priority: { from: 'medium', to: 'critical' },
        },
      },
    });
  });

  it('an update that changes nothing writes nothing and returns the ticket', async () => {
    const { client, ticket } = await givenTicket();
    const result = await api.as(client.token).tickets.update({ id: ticket.id, title: ticket.title });
    expect(result.version).toBe(ticket.version);
    await expectUntouched(ticket);
  });

  it('the creator edits title, description and category of their open ticket', async () => {
    const { client, ticket } = await givenTicket({ status: 'awaiting_response' });
    const updated = await api
      .as(client.token)
      .tickets.update({ id: ticket.id, title: 'Clearer', description: 'More detail', category: 'order' });
    expect(updated).toMatchObject({
      title: 'Clearer',
      description: 'More detail',
      category: 'order',
      version: 2,
    });
  });

  it('a writer updating a client’s ticket gets NOT_FOUND, like a missing ticket', async () => {
    const { writer, ticket } = await givenTicket();
    const error = await rejection(api.as(writer.token).tickets.update({ id: ticket.id, title: 'Mine now' }));
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Ticket not found.',
      data: { appCode: 'TICKET_NOT_FOUND' },
    });
    await expectUntouched(ticket);
  });

  it('the creator cannot edit a closed ticket: TICKET_CLOSED', async () => {
    const { client, ticket } = await givenTicket({ status: 'closed', resolvedAt: new Date() });
    const error = await rejection(api.as(client.token).tickets.update({ id: ticket.id, title: 'Late edit' }));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'TICKET_CLOSED' } });
    await expectUntouched(ticket);
  });

  it('staff may still correct the category of a closed ticket, which stays closed', async () => {
    const { admin, ticket } = await givenTicket({ status: 'closed', resolvedAt: new Date() });
    const updated = await api.as(admin.token).tickets.update({ id: ticket.id, category: 'payment' });
    expect(updated).toMatchObject({ category: 'payment', status: 'closed', resolvedAt: ticket.resolvedAt });
  });
});

describe('tickets.update against mass assignment', () => {
  it.each(['priority', 'status'] as const)(
    'a requester sending %s gets FIELD_NOT_ALLOWED naming it, even with the current value, and nothing changes',
    async (field) => {
      const { client, ticket } = await givenTicket();
      const value = field === 'priority' ? 'critical' : 'in_progress';
      for (const attempt of [value, ticket[field]] as const) {
        const error = await rejection(
          api.as(client.token).tickets.update({ id: ticket.id, title: 'Also this', [field]: attempt }),
        );
        expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'FIELD_NOT_ALLOWED' } });
        expect(error.message).toContain(field);
      }
      await expectUntouched(ticket);
    },
  );

  it.each([
    'assignedTo',
    'createdBy',
    'workspaceId',
    'isEscalated',
    'resolvedAt',
    'firstResponseAt',
    'version',
    'createdAt',
  ])('a requester sending %s is refused by name and nothing changes', async (field) => {
    const { client, writer, ticket } = await givenTicket();
    const values: Record<string, unknown> = {
      assignedTo: client.user.id,
      createdBy: writer.user.id,
      workspaceId: ticket.workspaceId,
      isEscalated: true,
      resolvedAt: new Date(),
      firstResponseAt: new Date(),
      version: 99,
      createdAt: new Date(0),
    };

    const error = await rejection(
      api
        .as(client.token)
        .tickets.update({ id: ticket.id, title: 'Sneaky', [field]: values[field] } as never),
    );

    expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'VALIDATION_FAILED' } });
    expect(error.message).toContain(field);
    await expectUntouched(ticket);
  });
});

describe('optimistic concurrency', () => {
  it('a stale expectedVersion answers CONFLICT and changes nothing', async () => {
    const { admin, support, ticket } = await givenTicket();
    await api.as(support.token).tickets.update({ id: ticket.id, expectedVersion: 1, title: 'First edit' });
    const edited = await probe.ticket(ticket.id);

    const stale = await rejection(
      api.as(admin.token).tickets.update({ id: ticket.id, expectedVersion: 1, title: 'Second edit' }),
    );
    const staleAssign = await rejection(
      api.as(admin.token).tickets.assign({ id: ticket.id, expectedVersion: 1, assigneeId: support.user.id }),
    );

    for (const error of [stale, staleAssign]) {
      expect(error).toMatchObject({ code: 'CONFLICT', data: { appCode: 'VERSION_CONFLICT' } });
    }
    expect(await probe.ticket(ticket.id)).toEqual(edited);
    expect(await probe.events(ticket.id)).toHaveLength(1);
  });

  it('two concurrent updates with the same expectedVersion: the row lock lets exactly one win', async () => {
    const { admin, support, ticket } = await givenTicket();

    const results = await Promise.allSettled([
      api.as(admin.token).tickets.update({ id: ticket.id, expectedVersion: 1, title: 'Admin wins' }),
      api.as(support.token).tickets.update({ id: ticket.id, expectedVersion: 1, title: 'Support wins' }),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((result) => result.status === 'rejected');
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    expect(await probe.ticket(ticket.id)).toMatchObject({ version: 2 });
    expect(await probe.events(ticket.id)).toHaveLength(1);
  });

  it('concurrent commands without expectedVersion serialise: every change lands, version counts them', async () => {
    const { admin, support, ticket } = await givenTicket();

    await Promise.all([
      api.as(admin.token).tickets.update({ id: ticket.id, title: 'Renamed' }),
      api.as(support.token).tickets.assign({ id: ticket.id, assigneeId: support.user.id }),
      api.as(admin.token).tickets.update({ id: ticket.id, category: 'order' }),
      api.as(support.token).tickets.escalate({ id: ticket.id }),
    ]);

    expect(await probe.ticket(ticket.id)).toMatchObject({
      title: 'Renamed',
      assignedTo: support.user.id,
      category: 'order',
      status: 'escalated',
      version: 5,
    });
    expect(await probe.events(ticket.id)).toHaveLength(4);
  });

  it('escalating the same ticket concurrently writes one event', async () => {
    const { admin, support, ticket } = await givenTicket();
    await Promise.all([
      api.as(admin.token).tickets.escalate({ id: ticket.id }),
      api.as(support.token).tickets.escalate({ id: ticket.id }),
      api.as(admin.token).tickets.escalate({ id: ticket.id }),
    ]);
    expect(await probe.ticket(ticket.id)).toMatchObject({ status: 'escalated', version: 2 });
    expect(await probe.events(ticket.id)).toHaveLength(1);
  });
});

describe('status commands walk only their own edges', () => {
  const statuses: TicketStatus[] = ['open', 'in_progress', 'awaiting_response', 'escalated'];
  it.each(statuses)('close from %s is allowed', async (status) => {
    const { admin, ticket } = await givenTicket({ status });
    expect(await api.as(admin.token).tickets.close({ id: ticket.id })).toMatchObject({ status: 'closed' });
  });
});
