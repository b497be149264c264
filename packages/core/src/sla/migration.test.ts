import { createDatabase, migrationProvider } from '@tickets/db';
import { testServerUrl } from '@tickets/db/testing';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';

// Migration 0007 against data written before it: a database of this file's own, migrated to 0006,
// filled with tickets in every state, then migrated to the latest version. Also down and up again on
// the embedded database (PGlite), which runs the same migrations.

const name = `tickets_test_${process.pid}_sla_migration`;
const admin = async (statement: string) => {
  const server = await createDatabase({ kind: 'postgres', url: testServerUrl, maxConnections: 1 });
  try {
    await sql.raw(statement).execute(server.db);
  } finally {
    await server.close();
  }
};
const url = new URL(testServerUrl);
url.pathname = `/${name}`;
await admin(`drop database if exists ${name} with (force)`);
await admin(`create database ${name}`);
const database = await createDatabase({ kind: 'postgres', url: url.toString() });
afterAll(async () => {
  await database.close();
  await admin(`drop database if exists ${name} with (force)`);
});

const HOUR = 3_600_000;

describe('migration 2026_12_07_0007_sla', () => {
  it("given tickets from before it, when it runs, then each gets a clock on its workspace's default policy and past misses are recorded without announcements", async () => {
    const db = database.db;
    const migrator = new Migrator({ db, provider: migrationProvider });
    const before = await migrator.migrateTo('2026_11_29_0006_ticket_stats_daily');
    expect(before.error).toBeUndefined();

    const workspace = await db
      .insertInto('workspaces')
      .values({ name: 'Old', slug: 'old' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({
        workspaceId: workspace.id,
        email: 'c@old.test',
        name: 'C',
        role: 'client',
        passwordHash: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const ticket = (title: string, values: Record<string, unknown>) =>
      db
        .insertInto('tickets')
        // biome-ignore lint/suspicious/noExplicitAny: the table as it was before 0007 (no clock columns).
        .values({ workspaceId: workspace.id, createdBy: user.id, title, description: 'x', ...values } as any)
        .returning('id')
        .executeTakeFirstOrThrow();
    // A: medium, opened 1 h ago (4 h / 24 h ahead). B: high, opened 10 h ago, answered after 30 min
    // (first response met, resolution missed 6 h ago). C: closed in time. D: awaiting_response for 2 days.
    const a = await ticket('A', { priority: 'medium', createdAt: new Date(now - HOUR) });
    const b = await ticket('B', {
      priority: 'high',
      createdAt: new Date(now - 10 * HOUR),
      firstResponseAt: new Date(now - 9.5 * HOUR),
    });
    const c = await ticket('C', {
      priority: 'low',
      status: 'closed',
      createdAt: new Date(now - 5 * HOUR),
      resolvedAt: new Date(now - 4 * HOUR),
    });
    const d = await ticket('D', {
      priority: 'medium',
      status: 'awaiting_response',
      createdAt: new Date(now - 48 * HOUR),
    });

    const after = await migrator.migrateToLatest();
    expect(after.error).toBeUndefined();

    const clock = (id: string) =>
      db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const policy = await db
      .selectFrom('slaPolicies')
      .selectAll()
      .where('workspaceId', '=', workspace.id)
      .execute();
    expect(policy.map((row) => row.version)).toEqual([1]);

    const rowA = await clock(a.id);
    expect(rowA.slaPolicyId).toBe(policy[0]?.id);
    expect(rowA.slaFirstResponseDueAt?.getTime()).toBe(now - HOUR + 4 * HOUR);
    expect(rowA.slaNextDueAt?.getTime()).toBe(now + 3 * HOUR);
    expect(rowA.slaRunningSince?.getTime()).toBe(now - HOUR);

    const rowB = await clock(b.id);
    expect(rowB.slaFirstResponseBreachedAt).toBeNull();
    expect(rowB.slaResolutionBreachedAt?.getTime()).toBe(now - 6 * HOUR);
    expect(rowB.slaNextDueAt).toBeNull();

    const rowC = await clock(c.id);
    expect(rowC).toMatchObject({ slaRunningSince: null, slaResolutionBreachedAt: null, slaNextDueAt: null });
    expect(rowC.slaElapsedSeconds).toBe(3600);

    const rowD = await clock(d.id);
    expect(rowD).toMatchObject({ slaRunningSince: null, slaResolutionDueAt: null, slaNextDueAt: null });
    expect(rowD.slaResolutionBreachedAt?.getTime()).toBe(now + 24 * HOUR - 48 * HOUR);
    expect(rowD.slaElapsedSeconds).toBeGreaterThanOrEqual(48 * 3600);

    // Recorded, not announced: no audit event, no notification.
    const events = await db.selectFrom('auditEvents').select('id').execute();
    expect(events).toEqual([]);
    // The statistics' running totals include the back-filled outcomes.
    const totals = await sql<{ measure: string; n: number }>`
      select measure, sum(n)::int as n from sla_stats_daily where workspace_id = ${workspace.id}
      group by measure order by measure`.execute(db);
    // B: first response met, resolution missed. C: resolved in time. D: never answered in 48 h, both missed.
    expect(totals.rows).toEqual([
      { measure: 'breached_on', n: 3 },
      { measure: 'first_response_breached', n: 1 },
      { measure: 'first_response_met', n: 1 },
      { measure: 'resolution_breached', n: 2 },
      { measure: 'resolution_met', n: 1 },
    ]);
  });

  it('given the embedded database, when migrated up, down one step and up again, then every step succeeds', async () => {
    const embedded = await createDatabase({ kind: 'pglite' });
    try {
      const migrator = new Migrator({ db: embedded.db, provider: migrationProvider });
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const workspace = await embedded.db
        .insertInto('workspaces')
        .values({ name: 'E', slug: 'e' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const policies = await embedded.db
        .selectFrom('slaPolicies')
        .select('version')
        .where('workspaceId', '=', workspace.id)
        .execute();
      expect(policies).toEqual([{ version: 1 }]);
      const down = await migrator.migrateTo('2026_11_29_0006_ticket_stats_daily');
      expect(down.error).toBeUndefined();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
    } finally {
      await embedded.close();
    }
  }, 60_000);
});
