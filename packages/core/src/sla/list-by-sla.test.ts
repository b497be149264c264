import { openTestDatabase } from '@tickets/db/testing';
import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
} from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppError } from '../errors';
import { createTicket as createTicketRow, createWorkspaceWithCast } from '../testing';
import { listTickets } from '../tickets/list-tickets';
import { listTicketsInput } from '../tickets/schemas';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const MINUTE = 60_000;

/** A workspace with 40 tickets: next due times spread over the next hours (some shared), 10 with none. */
async function seed() {
  const cast = await createWorkspaceWithCast(db);
  const now = Date.now();
  const rows = [];
  for (let index = 0; index < 40; index += 1) {
    const row = await createTicketRow(db, { workspaceId: cast.workspace.id, createdBy: cast.client.user.id });
    // Every third one shares a due time with its neighbour, so the id tie-break matters.
    const due = index < 30 ? new Date(now + Math.floor(index / 3) * 20 * MINUTE - 30 * MINUTE) : null;
    const breached = index >= 36;
    await db
      .updateTable('tickets')
      .set({
        slaNextDueAt: due,
        slaResolutionBreachedAt: breached ? new Date(now - MINUTE) : null,
        status: index === 39 ? 'closed' : 'open',
      })
      .where('id', '=', row.id)
      .execute();
    rows.push({ id: row.id, due, breached, closed: index === 39 });
  }
  return { ...cast, rows };
}

async function walk(actor: Parameters<typeof listTickets>[1], input: Record<string, unknown>) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTickets(db, actor, listTicketsInput.parse({ ...input, limit: 4, cursor }));
    ids.push(...page.items.map((ticket) => ticket.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe('tickets.list by service level', () => {
  it('given tickets due at various times and some with no running target, when sorted by sla 4 at a time, then soonest first, ties by id, none last, each once', async () => {
    const { support, rows } = await seed();
    const expected = [...rows]
      .sort(
        (a, b) =>
          (a.due?.getTime() ?? Number.POSITIVE_INFINITY) - (b.due?.getTime() ?? Number.POSITIVE_INFINITY) ||
          (a.id < b.id ? -1 : 1),
      )
      .map((row) => row.id);
    expect(await walk(support.actor, { sort: 'sla' })).toEqual(expected);
  });

  it('given the same tickets, when filtered by "due within 60 minutes", then only those due by then (overdue included), in sla order', async () => {
    const { support, rows } = await seed();
    const limit = Date.now() + 60 * MINUTE;
    const expected = rows
      .filter((row) => row.due && row.due.getTime() <= limit)
      .sort((a, b) => (a.due?.getTime() ?? 0) - (b.due?.getTime() ?? 0) || (a.id < b.id ? -1 : 1))
      .map((row) => row.id);
    expect(expected.length).toBeGreaterThan(3);
    expect(await walk(support.actor, { sort: 'sla', sla: { dueWithinMinutes: 60 } })).toEqual(expected);
  });

  it('given breached tickets, one of them closed, when filtered by "breached", then the open breached ones, newest first', async () => {
    const { support, rows } = await seed();
    const walked = await walk(support.actor, { sla: 'breached' });
    expect(new Set(walked)).toEqual(
      new Set(rows.filter((row) => row.breached && !row.closed).map((row) => row.id)),
    );
  });

  it('given a cursor of the sla order, when used with another order (or the other way round), then INVALID_CURSOR', async () => {
    const { support } = await seed();
    const bySla = await listTickets(db, support.actor, listTicketsInput.parse({ sort: 'sla', limit: 1 }));
    const byCreated = await listTickets(db, support.actor, listTicketsInput.parse({ limit: 1 }));
    for (const [sort, cursor] of [
      ['created', bySla.nextCursor],
      ['sla', byCreated.nextCursor],
      ['created', Buffer.from(JSON.stringify(['c:none', crypto.randomUUID()])).toString('base64url')],
    ]) {
      await expect(
        listTickets(db, support.actor, listTicketsInput.parse({ sort, cursor })),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR' } satisfies Partial<AppError>);
    }
  });

  it('given bad filter values, then the input is refused naming the field', () => {
    for (const sla of ['late', { dueWithinMinutes: -1 }, { dueWithinMinutes: 1.5 }, { within: 5 }]) {
      const result = listTicketsInput.safeParse({ sla });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path[0]).toBe('sla');
    }
  });
});

/** Records the SQL a call sends, so its plan can be asked for. */
class QueryRecorder implements KyselyPlugin {
  queries: PluginTransformQueryArgs[] = [];
  transformQuery(args: PluginTransformQueryArgs) {
    this.queries.push(args);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

describe('the plans of the service-level list queries', () => {
  const planOf = async (input: Record<string, unknown>) => {
    const { support } = await createWorkspaceWithCast(db);
    const recorder = new QueryRecorder();
    const recorded = db.withPlugin(recorder);
    await listTickets(recorded, support.actor, listTicketsInput.parse({ ...input, limit: 1 }));
    const query = recorder.queries.at(-1);
    if (!query) throw new Error('no query recorded');
    const compiled = db.getExecutor().compileQuery(query.node, query.queryId);
    // The test tables are small, where a scan and a sort are cheapest; forbid both to see what the
    // indexes allow (the bench shows the plan at scale without this).
    return db.transaction().execute(async (tx) => {
      await tx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
      await tx.executeQuery(CompiledQuery.raw('set local enable_sort = off'));
      await tx.executeQuery(CompiledQuery.raw('set local enable_bitmapscan = off'));
      const result = await tx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
      );
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  };

  it('given sort sla, then the page is read in index order from tickets_ws_sla_idx (no sort of the workspace)', async () => {
    const plan = await planOf({ sort: 'sla' });
    expect(plan).toContain('tickets_ws_sla_idx');
    expect(plan).not.toMatch(/\bSort\b/);
  });

  it('given "due within" with sort sla, then the same index serves the range and the order', async () => {
    const plan = await planOf({ sort: 'sla', sla: { dueWithinMinutes: 60 } });
    expect(plan).toContain('tickets_ws_sla_idx');
    expect(plan).toMatch(/Index Cond: .*sla_sort_at/);
    expect(plan).not.toMatch(/\bSort\b/);
  });

  it('given the breached filter, then the partial index tickets_ws_sla_breached_idx serves it in created order', async () => {
    const plan = await planOf({ sla: 'breached' });
    expect(plan).toContain('tickets_ws_sla_breached_idx');
    expect(plan).not.toMatch(/\bSort\b/);
  });
});
