import type { TicketRow } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTicket, createUser, createWorkspaceWithCast } from '../testing';
import { ticketCategories, ticketPriorities, ticketStatuses } from '../tickets/schemas';
import { generateStats } from './generate-stats';

// The statistics read running totals (ticket_stats_daily) that a trigger keeps in step with the tickets.
// These tests change tickets every way the product can, straight in SQL (the trigger is the only
// thing that may keep the totals right), then hold the totals against a recount and the report
// against figures computed here from the tickets themselves.

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const DAY_MS = 86_400_000;
const start = Date.parse('2026-05-01T00:00:00Z');
const now = new Date(start + 12 * DAY_MS);

/** A small deterministic generator (mulberry32), so a failure replays from its seed. */
function randomFrom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

/** Rows where the running totals (per day, and over all time) and a full recount disagree. */
async function totalsDisagreeingWithRecount(workspaceId: string) {
  const mismatches = (running: string, recounted: string) =>
    sql<Record<string, unknown>>`
      with recount as (select * from ticket_stats_recount(${workspaceId})),
      recount_total as (
        select workspace_id, dimension, value, sum(tickets)::int, sum(closed)::int, sum(escalated)::int,
          sum(unassigned_open)::int, sum(resolved)::int, sum(resolution_ms)::bigint, sum(responded)::int,
          sum(first_response_ms)::bigint
        from recount where dimension <> 'closed_on' group by workspace_id, dimension, value),
      running as (select * from ${sql.table(running)} where workspace_id = ${workspaceId} and tickets <> 0)
      (select 'not in the recount' as problem, * from (select * from running except select * from ${sql.table(recounted)}) extra)
      union all
      (select 'missing', * from (select * from ${sql.table(recounted)} except select * from running) missing)`
      .execute(db)
      .then((result) => result.rows);
  return [
    ...(await mismatches('ticket_stats_daily', 'recount')),
    ...(await mismatches('ticket_stats_total', 'recount_total')),
  ];
}

/** A random life for a ticket: the changes a help desk makes, applied in SQL. */
async function liveRandomly(ticket: TicketRow, random: ReturnType<typeof randomFrom>, staffIds: string[]) {
  const createdAt = ticket.createdAt.getTime();
  const later = () => new Date(createdAt + Math.floor(random.next() * 3 * DAY_MS));
  for (let step = 0; step < 4; step += 1) {
    const change = random.pick([
      'priority',
      'category',
      'assign',
      'escalate',
      'close',
      'reopen',
      'respond',
      'title',
    ]);
    let update = db.updateTable('tickets').where('id', '=', ticket.id);
    if (change === 'priority') update = update.set({ priority: random.pick(ticketPriorities) });
    if (change === 'category') update = update.set({ category: random.pick(ticketCategories) });
    if (change === 'assign')
      update = update.set({ assignedTo: random.next() < 0.2 ? null : random.pick(staffIds) });
    if (change === 'escalate') update = update.set({ isEscalated: true, status: 'escalated' });
    if (change === 'close') update = update.set({ status: 'closed', resolvedAt: later() });
    if (change === 'reopen') update = update.set({ status: 'open', resolvedAt: null });
    if (change === 'respond')
      update = update.set({ firstResponseAt: sql`coalesce(first_response_at, ${later()})` });
    if (change === 'title') update = update.set({ title: `Edited ${step}`, updatedAt: later() });
    await update.execute();
  }
}

/** The report's figures computed here, from the tickets, for tickets created in [from, to). */
function expectedFigures(tickets: TicketRow[], from: Date, to: Date) {
  const cohort = tickets.filter((t) => t.createdAt >= from && t.createdAt < to);
  const closed = cohort.filter((t) => t.status === 'closed');
  const resolved = closed.filter((t) => t.resolvedAt !== null);
  const responded = cohort.filter((t) => t.firstResponseAt !== null);
  const mean = (values: number[]) =>
    values.length ? values.reduce((sum, value) => sum + value, 0) / values.length / 1000 : null;
  const countBy = <K extends string>(keys: readonly K[], of: (t: TicketRow) => string) =>
    Object.fromEntries(keys.map((key) => [key, cohort.filter((t) => of(t) === key).length]));
  const assignees = [...new Set(cohort.map((t) => t.assignedTo).filter((id) => id !== null))];
  return {
    totalTickets: cohort.length,
    resolvedTickets: closed.length,
    avgResolutionSeconds: mean(resolved.map((t) => (t.resolvedAt as Date).getTime() - t.createdAt.getTime())),
    avgFirstResponseSeconds: mean(
      responded.map((t) => (t.firstResponseAt as Date).getTime() - t.createdAt.getTime()),
    ),
    escalatedTickets: cohort.filter((t) => t.isEscalated).length,
    unassignedOpenTickets: cohort.filter((t) => t.status !== 'closed' && t.assignedTo === null).length,
    byStatus: countBy(ticketStatuses, (t) => t.status),
    byPriority: countBy(ticketPriorities, (t) => t.priority),
    byCategory: countBy(ticketCategories, (t) => t.category),
    byAssignee: assignees
      .map((id) => ({
        assigneeId: id,
        open: cohort.filter((t) => t.assignedTo === id && t.status !== 'closed').length,
        closed: cohort.filter((t) => t.assignedTo === id && t.status === 'closed').length,
      }))
      .sort((a, b) => a.assigneeId.localeCompare(b.assigneeId)),
  };
}

describe('ticket_stats_daily, the running totals behind the statistics', () => {
  it.each([1, 2, 3])(
    'given random ticket histories (seed %i), then the totals equal a recount and every report equals the figures computed from the tickets',
    async (seed) => {
      const random = randomFrom(seed);
      const cast = await createWorkspaceWithCast(db);
      const workspaceId = cast.workspace.id;
      const agents = await Promise.all([0, 1, 2].map(() => createUser(db, { role: 'support', workspaceId })));
      const staffIds = agents.map((agent) => agent.user.id);
      // Another workspace's tickets on the same days must never show up in this one's figures.
      const other = await createWorkspaceWithCast(db);

      for (let index = 0; index < 40; index += 1) {
        const createdAt = new Date(start + Math.floor(random.next() * 10 * DAY_MS));
        const ticket = await createTicket(db, {
          workspaceId,
          createdBy: cast.client.user.id,
          createdAt,
          status: random.pick(['open', 'in_progress', 'awaiting_response'] as const),
          priority: random.pick(ticketPriorities),
          category: random.pick(ticketCategories),
          assignedTo: random.next() < 0.5 ? random.pick(staffIds) : null,
        });
        await liveRandomly(ticket, random, staffIds);
        await createTicket(db, {
          workspaceId: other.workspace.id,
          createdBy: other.client.user.id,
          createdAt,
        });
      }
      const removed = await createTicket(db, { workspaceId, createdBy: cast.client.user.id, createdAt: now });
      await db.deleteFrom('tickets').where('id', '=', removed.id).execute();

      expect(await totalsDisagreeingWithRecount(workspaceId)).toEqual([]);

      const tickets = await db
        .selectFrom('tickets')
        .selectAll()
        .where('workspaceId', '=', workspaceId)
        .execute();
      const allTime = await generateStats(db, cast.admin.actor, {}, { now });
      const {
        byAssignee: allTimeByAssignee,
        avgResolutionSeconds: _r,
        avgFirstResponseSeconds: _f,
        ...allTimeExact
      } = expectedFigures(tickets, new Date(0), new Date(8.64e15));
      expect(allTime).toMatchObject(allTimeExact);
      expect(allTime.byAssignee.map(({ assigneeId }) => assigneeId).sort()).toEqual(
        allTimeByAssignee.map(({ assigneeId }) => assigneeId),
      );

      const windows: Array<[Date, Date]> = [[new Date(start - DAY_MS), now]];
      for (let index = 0; index < 6; index += 1) {
        const from = new Date(start + Math.floor(random.next() * 10 * DAY_MS));
        windows.push([from, new Date(from.getTime() + Math.floor(random.next() * 4 * DAY_MS) + 1)]);
      }
      windows.push([new Date(start + 2 * DAY_MS), new Date(start + 5 * DAY_MS)]); // midnight to midnight
      for (const [from, to] of windows) {
        const stats = await generateStats(db, cast.admin.actor, { from, to }, { now });
        const { byAssignee, ...figures } = expectedFigures(tickets, from, to);
        const { avgResolutionSeconds, avgFirstResponseSeconds, ...exact } = figures;
        expect(stats, `window ${from.toISOString()} – ${to.toISOString()}`).toMatchObject(exact);
        for (const [name, value] of Object.entries({ avgResolutionSeconds, avgFirstResponseSeconds })) {
          const actual = stats[name as 'avgResolutionSeconds'];
          if (value === null) expect(actual).toBeNull();
          else expect(actual).toBeCloseTo(value, 6);
        }
        expect(
          stats.byAssignee
            .map(({ assigneeId, open, closed }) => ({ assigneeId, open, closed }))
            .sort((a, b) => a.assigneeId.localeCompare(b.assigneeId)),
        ).toEqual(byAssignee);
        const createdInSeries = stats.daily.reduce((sum, day) => sum + day.created, 0);
        expect(createdInSeries).toBe(figures.totalTickets);
        const closedInWindow = tickets.filter(
          (t) => t.status === 'closed' && t.resolvedAt && t.resolvedAt >= from && t.resolvedAt < to,
        ).length;
        expect(stats.daily.reduce((sum, day) => sum + day.closed, 0)).toBe(closedInWindow);
      }
    },
  );

  it('given concurrent changes to tickets created on the same day, then none fails and the totals stay exact', async () => {
    const cast = await createWorkspaceWithCast(db);
    const workspaceId = cast.workspace.id;
    const createdAt = new Date(start + 3 * DAY_MS);
    const tickets = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        createTicket(db, {
          workspaceId,
          createdBy: cast.client.user.id,
          createdAt: new Date(createdAt.getTime() + index * 60_000),
          ...(index % 2 ? { status: 'closed' as const, resolvedAt: now } : {}),
        }),
      ),
    );

    // Each transaction flips one ticket (closing the open ones, reopening the closed ones), all at once.
    await Promise.all(
      tickets.map((ticket) =>
        db.transaction().execute((tx) =>
          tx
            .updateTable('tickets')
            .set(
              ticket.status === 'closed'
                ? { status: 'open', resolvedAt: null, assignedTo: cast.support.user.id }
                : { status: 'closed', resolvedAt: now, priority: 'high' },
            )
            .where('id', '=', ticket.id)
            .execute(),
        ),
      ),
    );

    expect(await totalsDisagreeingWithRecount(workspaceId)).toEqual([]);
    const stats = await generateStats(db, cast.admin.actor, {}, { now });
    expect(stats.totalTickets).toBe(20);
    expect(stats.byStatus.closed).toBe(10);
  });
});
