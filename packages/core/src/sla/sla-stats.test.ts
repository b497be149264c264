import { openTestDatabase } from '@tickets/db/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { generateStats } from '../stats/generate-stats';
import { createTicket as createTicketRow, createWorkspaceWithCast } from '../testing';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const at = (iso: string) => new Date(iso);

/** A ticket row with a clock in the given outcome (the commands are tested elsewhere; these are facts). */
async function ticketWith(
  workspaceId: string,
  createdBy: string,
  facts: {
    createdAt: Date;
    firstResponseAt?: Date;
    firstResponseBreachedAt?: Date;
    resolutionBreachedAt?: Date;
    closedAt?: Date;
  },
) {
  const policy = await db
    .selectFrom('slaPolicies')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirstOrThrow();
  const row = await createTicketRow(db, {
    workspaceId,
    createdBy,
    createdAt: facts.createdAt,
    status: facts.closedAt ? 'closed' : 'open',
    resolvedAt: facts.closedAt ?? null,
  });
  await db
    .updateTable('tickets')
    .set({
      slaPolicyId: policy.id,
      firstResponseAt: facts.firstResponseAt ?? null,
      slaFirstResponseBreachedAt: facts.firstResponseBreachedAt ?? null,
      slaResolutionBreachedAt: facts.resolutionBreachedAt ?? null,
    })
    .where('id', '=', row.id)
    .execute();
  return row;
}

describe('service-level statistics', () => {
  it('given a known week of outcomes, when an admin asks for it, then the shares and the breaches per day are the hand-counted ones', async () => {
    const { workspace, admin, client } = await createWorkspaceWithCast(db);
    const make = (facts: Parameters<typeof ticketWith>[2]) => ticketWith(workspace.id, client.user.id, facts);
    // A: answered in time, closed in time. B: answered late (missed 2 March), still open.
    // C: never answered, both missed on 3 March. D: running, nothing decided. E: created before the window.
    await make({
      createdAt: at('2026-03-01T10:00:00Z'),
      firstResponseAt: at('2026-03-01T10:30:00Z'),
      closedAt: at('2026-03-01T12:00:00Z'),
    });
    await make({
      createdAt: at('2026-03-01T22:00:00Z'),
      firstResponseAt: at('2026-03-02T03:00:00Z'),
      firstResponseBreachedAt: at('2026-03-02T02:00:00Z'),
    });
    await make({
      createdAt: at('2026-03-02T09:00:00Z'),
      firstResponseBreachedAt: at('2026-03-03T01:00:00Z'),
      resolutionBreachedAt: at('2026-03-03T09:00:00Z'),
    });
    await make({ createdAt: at('2026-03-03T09:00:00Z') });
    await make({ createdAt: at('2026-02-20T09:00:00Z'), resolutionBreachedAt: at('2026-03-02T05:00:00Z') });

    const stats = await generateStats(db, admin.actor, {
      from: at('2026-03-01T00:00:00Z'),
      to: at('2026-03-04T00:00:00Z'),
    });
    expect(stats.serviceLevels).toEqual({
      firstResponse: { met: 1, breached: 2, metShare: 1 / 3 },
      resolution: { met: 1, breached: 1, metShare: 0.5 },
    });
    // Breaches by the day they happened, whenever the ticket was created (E's counts on 2 March).
    expect(stats.daily.map((day) => [day.date, day.slaBreaches])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 2],
      ['2026-03-03', 2],
    ]);

    // A window with partial days at both edges counts those days from the tickets: the same answer for
    // the part it covers.
    const partial = await generateStats(db, admin.actor, {
      from: at('2026-03-01T21:00:00Z'),
      to: at('2026-03-03T05:00:00Z'),
    });
    expect(partial.serviceLevels).toEqual({
      firstResponse: { met: 0, breached: 2, metShare: 0 },
      resolution: { met: 0, breached: 1, metShare: 0 },
    });
    expect(partial.daily.map((day) => [day.date, day.slaBreaches])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 2],
      ['2026-03-03', 1],
    ]);
  });

  it('given random histories of clock outcomes, then the running totals always equal a full recount', async () => {
    const { workspace, client } = await createWorkspaceWithCast(db);
    const tickets = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        ticketWith(workspace.id, client.user.id, { createdAt: at(`2026-04-0${index + 1}T12:00:00Z`) }),
      ),
    );
    const day = fc.integer({ min: 1, max: 9 }).map((d) => at(`2026-04-0${d}T08:00:00Z`));
    const step = fc.record({
      ticket: fc.integer({ min: 0, max: tickets.length - 1 }),
      firstResponseAt: fc.option(day),
      firstResponseBreachedAt: fc.option(day),
      resolutionBreachedAt: fc.option(day),
      closed: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const change of steps) {
          await db
            .updateTable('tickets')
            .set({
              firstResponseAt: change.firstResponseAt,
              slaFirstResponseBreachedAt: change.firstResponseBreachedAt,
              slaResolutionBreachedAt: change.resolutionBreachedAt,
              status: change.closed ? 'closed' : 'open',
              resolvedAt: change.closed ? at('2026-04-10T00:00:00Z') : null,
            })
            .where('id', '=', tickets[change.ticket]?.id as string)
            .execute();
        }
        const kept = await sql<{ day: string; measure: string; n: number }>`
          select to_char(day, 'YYYY-MM-DD') as day, measure, n from sla_stats_daily
          where workspace_id = ${workspace.id} and n <> 0 order by 1, 2`.execute(db);
        const recounted = await sql<{ day: string; measure: string; n: number }>`
          select to_char(day, 'YYYY-MM-DD') as day, measure, n from sla_stats_recount(${workspace.id})
          where n <> 0 order by 1, 2`.execute(db);
        expect(kept.rows).toEqual(recounted.rows);
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
