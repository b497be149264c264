import { createTicket, createUser, createWorkspace, createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { appCodeOf, rejection } from '../../testing/rejection';

const api = await createTestApi();
afterAll(() => api.close());

const at = (iso: string) => new Date(iso);
const from = at('2026-03-01T00:00:00.000Z');
const to = at('2026-03-08T00:00:00.000Z');

type Cast = Awaited<ReturnType<typeof createWorkspaceWithCast>>;

/**
 * One workspace's week, March 1–7 2026. Tickets T1–T7 are created inside the window; O1 just before it
 * (but closed inside it) and O2 exactly at its exclusive end. Every expected figure below is counted
 * by hand from this table.
 */
async function seedWeek() {
  const cast = await createWorkspaceWithCast(api.db);
  const workspaceId = cast.workspace.id;
  const createdBy = cast.writer.user.id;
  const alice = (await createUser(api.db, { role: 'admin', workspaceId, name: 'Alice Admin' })).user;
  const sam = (await createUser(api.db, { role: 'support', workspaceId, name: 'Sam Support' })).user;
  const ticket = async (
    options: Omit<Parameters<typeof createTicket>[1], 'workspaceId' | 'createdBy'>,
    firstResponseAt?: string,
  ) => {
    const row = await createTicket(api.db, { workspaceId, createdBy, ...options });
    if (firstResponseAt) {
      await api.db
        .updateTable('tickets')
        .set({ firstResponseAt: at(firstResponseAt) })
        .where('id', '=', row.id)
        .execute();
    }
    return row;
  };
  // T1: closed after 2 h, first answered after 30 min.
  await ticket(
    {
      createdAt: at('2026-03-01T09:00:00Z'),
      status: 'closed',
      resolvedAt: at('2026-03-01T11:00:00Z'),
      assignedTo: alice.id,
      priority: 'high',
      category: 'payment',
    },
    '2026-03-01T09:30:00Z',
  );
  // T2: closed after 48 h, first answered after 1 h.
  await ticket(
    {
      createdAt: at('2026-03-02T10:00:00Z'),
      status: 'closed',
      resolvedAt: at('2026-03-04T10:00:00Z'),
      assignedTo: sam.id,
      priority: 'low',
      category: 'technical',
    },
    '2026-03-02T11:00:00Z',
  );
  // T3: escalated, never answered.
  await ticket({
    createdAt: at('2026-03-02T12:00:00Z'),
    status: 'escalated',
    isEscalated: true,
    assignedTo: sam.id,
    priority: 'critical',
    category: 'technical',
  });
  // T4: open and unassigned.
  await ticket({ createdAt: at('2026-03-05T08:00:00Z'), priority: 'medium', category: 'general' });
  // T5: the window's last millisecond.
  await ticket({
    createdAt: at('2026-03-07T23:59:59.999Z'),
    status: 'in_progress',
    assignedTo: alice.id,
    priority: 'medium',
    category: 'order',
  });
  // T6: awaiting the requester, unassigned, first answered after 10 min.
  await ticket(
    {
      createdAt: at('2026-03-03T00:00:00Z'),
      status: 'awaiting_response',
      priority: 'high',
      category: 'general',
    },
    '2026-03-03T00:10:00Z',
  );
  // T7: escalated once, then closed after 4 days — after the window ends.
  await ticket(
    {
      createdAt: at('2026-03-06T12:00:00Z'),
      status: 'closed',
      isEscalated: true,
      resolvedAt: at('2026-03-10T12:00:00Z'),
      assignedTo: sam.id,
      priority: 'low',
      category: 'feedback',
    },
    '2026-03-06T12:20:00Z',
  );
  // O1: created the millisecond before the window, closed inside it.
  await ticket({
    createdAt: at('2026-02-28T23:59:59.999Z'),
    status: 'closed',
    resolvedAt: at('2026-03-02T09:00:00Z'),
    assignedTo: alice.id,
    category: 'other',
  });
  // O2: created exactly at the window's exclusive end.
  await ticket({ createdAt: at('2026-03-08T00:00:00Z'), priority: 'critical', category: 'other' });
  return { ...cast, alice, sam };
}

describe('stats.generate', () => {
  let week: Cast & { alice: { id: string }; sam: { id: string } };
  beforeAll(async () => {
    week = await seedWeek();
  });

  it('given a known week, when an admin asks for it, then every figure is the hand-counted one', async () => {
    const stats = await api.as(week.admin.token).stats.generate({ from, to });

    expect(stats).toEqual({
      totalTickets: 7,
      resolvedTickets: 3,
      avgResolutionSeconds: 175_200, // (7 200 + 172 800 + 345 600) / 3
      avgFirstResponseSeconds: 1_800, // (1 800 + 3 600 + 600 + 1 200) / 4
      escalatedTickets: 2,
      unassignedOpenTickets: 2,
      byStatus: { open: 1, in_progress: 1, awaiting_response: 1, escalated: 1, closed: 3 },
      byPriority: { low: 2, medium: 2, high: 2, critical: 1 },
      byCategory: { general: 2, payment: 1, technical: 2, feedback: 1, order: 1, other: 0 },
      byAssignee: [
        { assigneeId: week.sam.id, name: 'Sam Support', open: 1, closed: 2 },
        { assigneeId: week.alice.id, name: 'Alice Admin', open: 1, closed: 1 },
      ],
      // The week's tickets are written as rows, without service-level clocks: they count in neither.
      serviceLevels: {
        firstResponse: { met: 0, breached: 0, metShare: null },
        resolution: { met: 0, breached: 0, metShare: null },
      },
      daily: [
        { date: '2026-03-01', created: 1, closed: 1, slaBreaches: 0 },
        { date: '2026-03-02', created: 2, closed: 1, slaBreaches: 0 },
        { date: '2026-03-03', created: 1, closed: 0, slaBreaches: 0 },
        { date: '2026-03-04', created: 0, closed: 1, slaBreaches: 0 },
        { date: '2026-03-05', created: 1, closed: 0, slaBreaches: 0 },
        { date: '2026-03-06', created: 1, closed: 0, slaBreaches: 0 },
        { date: '2026-03-07', created: 1, closed: 0, slaBreaches: 0 },
      ],
    });
  });

  it('given a narrower window, when asked, then tickets created outside it are left out of every figure', async () => {
    const stats = await api
      .as(week.support.token)
      .stats.generate({ from: at('2026-03-02T11:00:00Z'), to: at('2026-03-03T00:00:00Z') });

    // Only T3 (created 12:00 on the 2nd); T2 (10:00) and T6 (midnight, the exclusive end) fall outside.
    expect(stats).toMatchObject({
      totalTickets: 1,
      resolvedTickets: 0,
      avgResolutionSeconds: null,
      avgFirstResponseSeconds: null,
      escalatedTickets: 1,
      unassignedOpenTickets: 0,
      byStatus: { open: 0, in_progress: 0, awaiting_response: 0, escalated: 1, closed: 0 },
      byAssignee: [{ assigneeId: week.sam.id, name: 'Sam Support', open: 1, closed: 0 }],
      daily: [{ date: '2026-03-02', created: 1, closed: 0, slaBreaches: 0 }],
    });
  });

  it('given no window, when an admin asks, then the totals cover all time', async () => {
    const stats = await api.as(week.admin.token).stats.generate();

    expect(stats).toMatchObject({ totalTickets: 9, resolvedTickets: 4 });
    expect(stats.byCategory.other).toBe(2);
    expect(stats.daily).toHaveLength(30);
  });

  it('given a superadmin naming the workspace, when they ask, then they get exactly what its admin gets', async () => {
    const asAdmin = await api.as(week.admin.token).stats.generate({ from, to });
    const asSuperadmin = await api
      .as(week.superadmin.token)
      .stats.generate({ workspaceId: week.workspace.id, from, to });

    expect(asSuperadmin).toEqual(asAdmin);
  });

  it('given a superadmin naming no workspace, when they ask, then every workspace counts', async () => {
    const other = await createWorkspaceWithCast(api.db);
    await createTicket(api.db, {
      workspaceId: other.workspace.id,
      createdBy: other.client.user.id,
      createdAt: at('2026-03-04T00:00:00Z'),
      assignedTo: other.support.user.id,
    });

    const all = await api.as(week.superadmin.token).stats.generate({ from, to });

    // Other test files write to the same database, so only a lower bound is known.
    expect(all.totalTickets).toBeGreaterThanOrEqual(8);
    expect(all.byAssignee.map((row) => row.assigneeId)).toEqual(
      expect.arrayContaining([week.alice.id, week.sam.id, other.support.user.id]),
    );
  });

  it('given an admin of another workspace, when they ask, then none of this workspace’s tickets count', async () => {
    const other = await createWorkspaceWithCast(api.db);
    await createTicket(api.db, {
      workspaceId: other.workspace.id,
      createdBy: other.client.user.id,
      createdAt: at('2026-03-02T12:00:00Z'),
    });

    const stats = await api.as(other.admin.token).stats.generate({ from, to });

    expect(stats).toMatchObject({
      totalTickets: 1,
      resolvedTickets: 0,
      unassignedOpenTickets: 1,
      byAssignee: [],
    });
    expect(stats.daily.map((day) => day.created)).toEqual([0, 1, 0, 0, 0, 0, 0]);
  });

  it('given an admin naming another workspace, when they ask, then WORKSPACE_NOT_FOUND', async () => {
    const other = await createWorkspace(api.db);

    const error = await rejection(api.as(week.admin.token).stats.generate({ workspaceId: other.id }));

    expect(error.code).toBe('NOT_FOUND');
    expect(appCodeOf(error)).toBe('WORKSPACE_NOT_FOUND');
  });

  it('given no session, when called, then UNAUTHORIZED', async () => {
    const error = await rejection(api.as().stats.generate({ from, to }));
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it.each(['writer', 'client'] as const)('given a %s, when they call it, then FORBIDDEN', async (role) => {
    const error = await rejection(api.as(week[role].token).stats.generate({ from, to }));
    expect(error.code).toBe('FORBIDDEN');
    expect(appCodeOf(error)).toBe('FORBIDDEN');
  });

  it.each([
    ['to equal to from', { from, to: from }, 'to'],
    ['to before from', { from: to, to: from }, 'to'],
    ['a window over 366 days', { from: at('2025-01-01T00:00:00Z'), to: at('2026-01-03T00:00:00Z') }, 'from'],
    ['a date before 2000', { from: at('1999-12-31T00:00:00Z'), to }, 'from'],
  ])('given %s, when asked, then BAD_REQUEST naming the field', async (_case, window, field) => {
    const error = await rejection(api.as(week.admin.token).stats.generate(window));

    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain(field);
  });

  it('given a from in the future and no to, when asked, then BAD_REQUEST VALIDATION_FAILED', async () => {
    const error = await rejection(
      api.as(week.admin.token).stats.generate({ from: new Date(Date.now() + 86_400_000) }),
    );

    expect(error.code).toBe('BAD_REQUEST');
    expect(appCodeOf(error)).toBe('VALIDATION_FAILED');
  });

  it('given an unknown key, when asked, then BAD_REQUEST', async () => {
    const error = await rejection(
      api.as(week.admin.token).stats.generate({ from, to, timezone: 'Europe/Paris' } as never),
    );
    expect(error.code).toBe('BAD_REQUEST');
  });
});
