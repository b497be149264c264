import { openTestDatabase, StatementCounter } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createTicket, createUser, createWorkspace, createWorkspaceWithCast } from '../testing';
import { generateStats } from './generate-stats';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const at = (iso: string) => new Date(iso);
const now = at('2026-03-09T12:00:00Z');

/** The days of the series that saw anything. */
const activeDays = (daily: Array<{ date: string; created: number; closed: number }>) =>
  daily.filter((day) => day.created > 0 || day.closed > 0);

describe('generateStats windows', () => {
  let cast: Awaited<ReturnType<typeof createWorkspaceWithCast>>;
  beforeAll(async () => {
    cast = await createWorkspaceWithCast(db);
    const base = { workspaceId: cast.workspace.id, createdBy: cast.client.user.id };
    // A: created before March, closed on March 2. B and C: still open.
    await createTicket(db, {
      ...base,
      createdAt: at('2026-02-28T10:00:00Z'),
      status: 'closed',
      resolvedAt: at('2026-03-02T10:00:00Z'),
    });
    await createTicket(db, { ...base, createdAt: at('2026-03-05T10:00:00Z') });
    await createTicket(db, {
      ...base,
      createdAt: at('2026-03-08T10:00:00Z'),
      assignedTo: cast.support.user.id,
    });
  });

  it('given no window, then the totals cover all time and the series the 30 days up to today', async () => {
    const stats = await generateStats(db, cast.admin.actor, {}, { now });

    expect(stats).toMatchObject({ totalTickets: 3, resolvedTickets: 1, unassignedOpenTickets: 1 });
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily[0]?.date).toBe('2026-02-08');
    expect(stats.daily.at(-1)?.date).toBe('2026-03-09');
    expect(activeDays(stats.daily)).toEqual([
      { date: '2026-02-28', created: 1, closed: 0, slaBreaches: 0 },
      { date: '2026-03-02', created: 0, closed: 1, slaBreaches: 0 },
      { date: '2026-03-05', created: 1, closed: 0, slaBreaches: 0 },
      { date: '2026-03-08', created: 1, closed: 0, slaBreaches: 0 },
    ]);
  });

  it('given only from, then the window runs to now and the series counts closes of older tickets', async () => {
    const stats = await generateStats(db, cast.admin.actor, { from: at('2026-03-01T00:00:00Z') }, { now });

    expect(stats).toMatchObject({ totalTickets: 2, resolvedTickets: 0, avgResolutionSeconds: null });
    expect(stats.daily.map((day) => day.date)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
    ]);
    // A was created before the window: not in the totals, but its close on March 2 is activity in it.
    expect(activeDays(stats.daily)).toEqual([
      { date: '2026-03-02', created: 0, closed: 1, slaBreaches: 0 },
      { date: '2026-03-05', created: 1, closed: 0, slaBreaches: 0 },
      { date: '2026-03-08', created: 1, closed: 0, slaBreaches: 0 },
    ]);
  });

  it('given only to at midnight, then the series is the 30 days before it and stops the day before', async () => {
    const stats = await generateStats(db, cast.admin.actor, { to: at('2026-03-06T00:00:00Z') }, { now });

    expect(stats).toMatchObject({ totalTickets: 2, resolvedTickets: 1, avgResolutionSeconds: 172_800 });
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily[0]?.date).toBe('2026-02-04');
    expect(stats.daily.at(-1)?.date).toBe('2026-03-05');
  });

  it('given a window cutting through days, then each day counts only what falls inside the window', async () => {
    const stats = await generateStats(
      db,
      cast.admin.actor,
      { from: at('2026-03-02T12:00:00Z'), to: at('2026-03-05T09:00:00Z') },
      { now },
    );

    // A's close (March 2, 10:00) and B's creation (March 5, 10:00) both fall just outside.
    expect(stats.totalTickets).toBe(0);
    expect(stats.daily.map((day) => day.date)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
    ]);
    expect(activeDays(stats.daily)).toEqual([]);
  });

  it('given an empty workspace, then every key is there with 0, the averages null, the days zero-filled', async () => {
    const empty = await createWorkspace(db);
    const admin = await createUser(db, { role: 'admin', workspaceId: empty.id });

    const stats = await generateStats(db, admin.actor, {}, { now });

    expect(stats).toMatchObject({
      totalTickets: 0,
      resolvedTickets: 0,
      avgResolutionSeconds: null,
      avgFirstResponseSeconds: null,
      escalatedTickets: 0,
      unassignedOpenTickets: 0,
      byStatus: { open: 0, in_progress: 0, awaiting_response: 0, escalated: 0, closed: 0 },
      byPriority: { low: 0, medium: 0, high: 0, critical: 0 },
      byCategory: { general: 0, payment: 0, technical: 0, feedback: 0, order: 0, other: 0 },
      byAssignee: [],
    });
    expect(stats.daily).toHaveLength(30);
    expect(activeDays(stats.daily)).toEqual([]);
  });

  it('given a requester calling the service directly, then FORBIDDEN', async () => {
    await expect(generateStats(db, cast.writer.actor, {}, { now })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('given from after now and no to, then VALIDATION_FAILED on from', async () => {
    const error = await generateStats(
      db,
      cast.admin.actor,
      { from: at('2026-03-10T00:00:00Z') },
      { now },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'from' } });
  });

  it('given from more than 366 days before now and no to, then VALIDATION_FAILED on from', async () => {
    await expect(
      generateStats(db, cast.admin.actor, { from: at('2025-03-01T00:00:00Z') }, { now }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'from' } });
  });
});

describe('generateStats statement count', () => {
  it('given workspaces of any size and windows of any length, then it always runs exactly two statements', async () => {
    const small = await createWorkspaceWithCast(db);
    await createTicket(db, { workspaceId: small.workspace.id, createdBy: small.client.user.id });

    const large = await createWorkspaceWithCast(db);
    const agents = await Promise.all(
      Array.from({ length: 6 }, () => createUser(db, { role: 'support', workspaceId: large.workspace.id })),
    );
    await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        createTicket(db, {
          workspaceId: large.workspace.id,
          createdBy: large.client.user.id,
          createdAt: new Date(now.getTime() - index * 5 * 86_400_000),
          assignedTo: agents[index % agents.length]?.user.id ?? null,
          ...(index % 3 === 0 ? { status: 'closed', resolvedAt: now } : {}),
        }),
      ),
    );

    const counter = new StatementCounter();
    const counted = db.withPlugin(counter);
    const calls = [
      () => generateStats(counted, small.admin.actor, {}, { now }),
      () => generateStats(counted, large.admin.actor, {}, { now }),
      () =>
        generateStats(
          counted,
          large.support.actor,
          { from: at('2025-03-09T12:00:00Z'), to: at('2026-03-09T12:00:00Z') },
          { now },
        ),
      () => generateStats(counted, large.superadmin.actor, {}, { now }),
    ];
    const statements: number[] = [];
    for (const call of calls) {
      counter.statements = 0;
      const stats = await call();
      expect(stats.daily.length).toBeGreaterThan(0);
      statements.push(counter.statements);
    }

    expect(statements).toEqual([2, 2, 2, 2]);
  });
});
