import { createSession, hashPassword } from '@tickets/core';
import { createDatabase, migrateToLatest } from '@tickets/db';
import pg from 'pg';

// Fills a database of its own (never a test database) with a realistic shape: several workspaces,
// thousands of requesters, tens of staff, messages on about a third of the tickets. Rows are made by
// PostgreSQL itself (INSERT … SELECT generate_series), so a million tickets take minutes, not hours.

export const WORKSPACES = 5;
const STAFF_PER_WORKSPACE: Array<[role: string, count: number]> = [
  ['admin', 1],
  ['support', 8],
  ['writer', 1],
];
const CHUNK = 100_000;
const SAMPLE = 200;

export interface BenchUser {
  id: string;
  token: string;
}

/** What the driver needs to build its requests: who to be, and which rows to ask for. */
export interface Fixture {
  tickets: number;
  databaseUrl: string;
  workspaceId: string;
  requester: BenchUser;
  support: BenchUser;
  admin: BenchUser;
  staffIds: string[];
  /** Tickets of the requester above. */
  requesterTicketIds: string[];
  /** Tickets of workspace 0 that have a thread. */
  threadTicketIds: string[];
  /** Tickets of workspace 0, spread over its whole history. */
  ticketIds: string[];
  /** The same, not closed (a closed ticket cannot be reassigned). */
  activeTicketIds: string[];
  /** A word that occurs in about one title in twenty. */
  searchWord: string;
}

const vocabulary = [
  'printer',
  'invoice',
  'login',
  'password',
  'refund',
  'shipping',
  'crash',
  'export',
  'billing',
  'upload',
  'timeout',
  'email',
  'report',
  'account',
  'mobile',
  'sync',
  'payment',
  'delivery',
  'search',
  'dashboard',
];

export function databaseUrlFor(serverUrl: string, tickets: number, prefix = 'tickets_bench'): string {
  const url = new URL(serverUrl);
  url.pathname = `/${prefix}_${tickets}`;
  return url.toString();
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const log = (message: string) => process.stderr.write(`[seed] ${message}\n`);

/** Seeds `tickets_bench_<n>` unless it already holds n tickets (or `force`), then opens fresh sessions. */
export async function ensureSeeded(options: {
  serverUrl: string;
  tickets: number;
  force?: boolean;
  /** Database name prefix (a branch with a newer schema keeps its own databases). */
  prefix?: string;
}): Promise<Fixture> {
  const { serverUrl, tickets } = options;
  const prefix = options.prefix ?? 'tickets_bench';
  const name = `${prefix}_${tickets}`;
  const databaseUrl = databaseUrlFor(serverUrl, tickets, prefix);
  // One seeder per size at a time: a second bench command waits here instead of dropping the database
  // under the first (the lock is the session's, released when this connection ends).
  await withClient(serverUrl, async (admin) => {
    await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount && !options.force) {
      const done = await withClient(databaseUrl, (client) =>
        client
          .query<{ tickets: number }>('select tickets from bench_meta')
          .then((result) => result.rows[0]?.tickets === tickets)
          .catch(() => false),
      );
      if (done) {
        log(`${name}: already seeded, reusing it`);
        return;
      }
    }
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const started = performance.now();
    await fill(databaseUrl, tickets);
    log(`${name}: ${tickets} tickets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  return buildFixture(databaseUrl, tickets);
}

async function fill(databaseUrl: string, tickets: number): Promise<void> {
  const database = await createDatabase({
    kind: 'postgres',
    url: databaseUrl,
    statementTimeoutMs: 3_600_000,
  });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  // One argon2 hash for every user: hashing a million times would take longer than the rest together.
  const passwordHash = await hashPassword('bench password');
  const requestersPerWorkspace = Math.min(2_000, Math.max(20, Math.floor(tickets / 100 / WORKSPACES)));
  const staffPerWorkspace = 9; // admin + support: the ones tickets are assigned to
  await withClient(databaseUrl, async (client) => {
    await client.query(`set synchronous_commit = off`);
    await client.query(`set maintenance_work_mem = '512MB'`);
    await client.query(
      `insert into workspaces (name, slug) select 'Bench workspace ' || i, 'bench-' || i from generate_series(0, $1 - 1) i`,
      [WORKSPACES],
    );
    await client.query(
      `create table bench_ws as select id, (row_number() over (order by slug) - 1)::int as idx from workspaces`,
    );
    for (const [role, count] of STAFF_PER_WORKSPACE) {
      await client.query(
        `insert into users (workspace_id, email, name, role, password_hash)
         select ws.id, format('%s-%s-%s@bench.test', $1::text, ws.idx, g), format('%s %s', initcap($1::text), g), $1, $2
         from bench_ws ws cross join generate_series(1, $3) g`,
        [role, passwordHash, count],
      );
    }
    await client.query(
      `insert into users (workspace_id, email, name, role, password_hash)
       select ws.id, format('client-%s-%s@bench.test', ws.idx, g), 'Requester ' || g, 'client', $1
       from bench_ws ws cross join generate_series(1, $2) g`,
      [passwordHash, requestersPerWorkspace],
    );
    const numbered = (roles: string) =>
      `select u.id, ws.idx as ws_idx, (row_number() over (partition by u.workspace_id order by u.email) - 1)::int as idx
       from users u join bench_ws ws on ws.id = u.workspace_id where u.role in (${roles})`;
    await client.query(`create table bench_requesters as ${numbered(`'client'`)}`);
    await client.query(`create table bench_staff as ${numbered(`'admin', 'support'`)}`);
    await client.query(`create index on bench_requesters (ws_idx, idx)`);
    await client.query(`create index on bench_staff (ws_idx, idx)`);

    // Building the indexes once at the end is several times faster than maintaining them row by row.
    const { rows: indexes } = await client.query<{ indexdef: string; indexname: string }>(
      `select indexname, indexdef from pg_indexes
       where tablename in ('tickets', 'messages')
         and not exists (select 1 from pg_constraint c where c.conname = indexname)`,
    );
    for (const index of indexes) await client.query(`drop index ${index.indexname}`);
    // Likewise the statistics' running totals: one recount at the end instead of a trigger call per row.
    await client.query(`alter table tickets disable trigger user`);

    // Two years of history, oldest first; g decides everything so a re-seed gives the same shape.
    const seconds = (2 * 365 * 86_400) / tickets;
    for (let start = 0; start < tickets; start += CHUNK) {
      const end = Math.min(tickets, start + CHUNK) - 1;
      await client.query(
        `insert into tickets (workspace_id, title, description, status, priority, category, created_by,
                              assigned_to, is_escalated, created_at, updated_at, resolved_at,
                              sla_policy_id, sla_running_since, sla_first_response_due_at, sla_resolution_due_at,
                              sla_next_due_at, sla_first_response_breached_at, sla_resolution_breached_at)
         select ws.id,
                initcap(v.words[1 + g % 20]) || ' ' || v.words[1 + (g / 20) % 20] || ' problem #' || g,
                'When I open the ' || v.words[1 + (g / 7) % 20] || ' page the ' || v.words[1 + (g / 3) % 20]
                  || ' step fails with error ' || (g % 997) || '. It worked yesterday; please have a look.',
                st.status,
                (array['low', 'medium', 'high', 'critical'])[1 + (g / 5) % 4],
                (array['general', 'payment', 'technical', 'feedback', 'order', 'other'])[1 + (g / 11) % 6],
                r.id,
                case when st.status <> 'open' or g % 3 = 0 then s.id end,
                st.status = 'escalated',
                at.created,
                at.created + interval '2 hours',
                case when st.status = 'closed' then at.created + interval '1 day' end,
                -- Service-level clocks: tickets still being worked on have a due time spread from
                -- 40 h ago to 200 h ahead (those already past are breached), a quarter of the closed
                -- ones missed their resolution target.
                p.id,
                case when sla.running then at.created end,
                case when sla.running then sla.due - interval '1 hour' end,
                sla.due,
                case when sla.running and sla.due >= now() then sla.due end,
                case when sla.running and sla.due < now() and g % 2 = 0 then sla.due - interval '1 hour' end,
                case when (sla.running and sla.due < now()) or (st.status = 'closed' and g % 4 = 0) then sla.due end
         from generate_series($1::int, $2::int) g
         cross join (select $3::text[] as words) v
         cross join lateral (select (array['open', 'in_progress', 'awaiting_response', 'escalated', 'closed',
                                           'closed', 'closed'])[1 + (g + g / 3) % 7] as status) st
         cross join lateral (select now() - ($4::int - g) * make_interval(secs => $5) as created) at
         cross join lateral (select st.status in ('open', 'in_progress', 'escalated') as running,
                                    now() + ((g::bigint * 7919) % 14400 - 2400) * interval '1 minute' as due) sla
         join bench_ws ws on ws.idx = g % $6
         join sla_policies p on p.workspace_id = ws.id
         join bench_requesters r on r.ws_idx = ws.idx and r.idx = (g / $6) % $7
         join bench_staff s on s.ws_idx = ws.idx and s.idx = (g / 13) % $8`,
        [start, end, vocabulary, tickets, seconds, WORKSPACES, requestersPerWorkspace, staffPerWorkspace],
      );
      log(`tickets ${end + 1}/${tickets}`);
    }
    // A three-message thread (requester, staff, requester) on about a third of the tickets.
    await client.query(
      `insert into messages (workspace_id, ticket_id, author_id, body, created_at)
       select t.workspace_id, t.id, case k when 2 then coalesce(t.assigned_to, t.created_by) else t.created_by end,
              'Message ' || k || ' about this: could you check the logs from this morning?',
              t.created_at + k * interval '30 minutes'
       from tickets t cross join generate_series(1, 3) k
       where get_byte(uuid_send(t.id), 15) % 3 = 0`,
    );
    log('messages done, building indexes and statistics');
    for (const index of indexes) await client.query(index.indexdef);
    await client.query(`select ticket_stats_rebuild()`);
    await client.query(`delete from sla_stats_daily`);
    await client.query(`insert into sla_stats_daily select * from sla_stats_recount(null)`);
    await client.query(`alter table tickets enable trigger user`);
    await client.query(`vacuum analyze`);
    await client.query(`create table bench_meta (tickets integer not null)`);
    await client.query(`insert into bench_meta values ($1)`, [tickets]);
  });
}

async function buildFixture(databaseUrl: string, tickets: number): Promise<Fixture> {
  const database = await createDatabase({ kind: 'postgres', url: databaseUrl });
  try {
    const db = database.db;
    const workspace = await db
      .selectFrom('workspaces')
      .select('id')
      .where('slug', '=', 'bench-0')
      .executeTakeFirstOrThrow();
    const user = (email: string) =>
      db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const session = async (email: string): Promise<BenchUser> => {
      const { id } = await user(email);
      return { id, token: (await createSession(db, id)).token };
    };
    const requester = await session('client-0-1@bench.test');
    const support = await session('support-0-1@bench.test');
    const admin = await session('admin-0-1@bench.test');
    const staff = await db
      .selectFrom('users')
      .select('id')
      .where('workspaceId', '=', workspace.id)
      .where('role', 'in', ['admin', 'support'])
      .execute();
    const ids = (rows: Array<{ id: string }>) => rows.map((row) => row.id);
    const requesterTickets = await db
      .selectFrom('tickets')
      .select('id')
      .where('createdBy', '=', requester.id)
      .limit(SAMPLE)
      .execute();
    // Spread over the whole history: uuid order is random with respect to creation time.
    const spread = await db
      .selectFrom('tickets')
      .select('id')
      .where('workspaceId', '=', workspace.id)
      .orderBy('id')
      .limit(SAMPLE)
      .execute();
    const active = await db
      .selectFrom('tickets')
      .select('id')
      .where('workspaceId', '=', workspace.id)
      .where('status', '<>', 'closed')
      .orderBy('id')
      .limit(SAMPLE)
      .execute();
    const threads = await db
      .selectFrom('messages')
      .select('ticketId as id')
      .distinct()
      .where('workspaceId', '=', workspace.id)
      .orderBy('ticketId')
      .limit(SAMPLE)
      .execute();
    return {
      tickets,
      databaseUrl,
      workspaceId: workspace.id,
      requester,
      support,
      admin,
      staffIds: ids(staff),
      requesterTicketIds: ids(requesterTickets),
      threadTicketIds: ids(threads),
      ticketIds: ids(spread),
      activeTicketIds: ids(active),
      searchWord: 'invoice',
    };
  } finally {
    await database.close();
  }
}
