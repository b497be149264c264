import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.

// The measures both tables hold: counts, and durations in whole milliseconds.
const measures = [
  ['tickets', 'integer'],
  ['closed', 'integer'],
  ['escalated', 'integer'],
  ['unassigned_open', 'integer'],
  ['resolved', 'integer'],
  ['resolution_ms', 'bigint'],
  ['responded', 'integer'],
  ['first_response_ms', 'bigint'],
] as const;
const measureColumns = sql.raw(
  measures.map(([name, type]) => `${name} ${type} not null default 0`).join(',\n'),
);
const measuresOf = (row: string) => sql.raw(measures.map(([name]) => `${row}.${name}`).join(', '));
/** `measure = s.measure ± source.measure` for each measure: adds a row into `s`, or takes it out. */
const adjusted = (op: '+' | '-', source: string) =>
  sql.raw(measures.map(([name]) => `${name} = s.${name} ${op} ${source}.${name}`).join(', '));

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  // The statistics' running totals: per workspace and UTC day, what the tickets CREATED that day add up
  // to now, once in total and once per value of each breakdown (status, priority, category, assignee),
  // plus how many tickets were last closed that day ('closed_on', keyed by the close day). Durations are
  // whole milliseconds, so adding and taking out stay exact. A report sums a few rows per day instead of
  // reading every ticket, so its cost follows the window, not the table. Kept exact by the trigger
  // below, in the transaction that changes the ticket.
  await sql`
    create table ticket_stats_daily (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      day date not null,
      dimension text not null
        check (dimension in ('total', 'status', 'priority', 'category', 'assignee', 'closed_on')),
      value text not null,
      ${measureColumns},
      primary key (workspace_id, day, dimension, value)
    )`.execute(db);

  // What one ticket contributes, as rows of ticket_stats_daily. The one definition the trigger and the
  // full recount share, so the two cannot disagree.
  await sql`
    create function ticket_stats_rows(t tickets)
    returns setof ticket_stats_daily
    language sql stable
    as $$
      with facts as (
        select
          (t.created_at at time zone 'UTC')::date as day,
          (t.status = 'closed')::int as closed,
          t.is_escalated::int as escalated,
          (t.status <> 'closed' and t.assigned_to is null)::int as unassigned_open,
          (t.status = 'closed' and t.resolved_at is not null)::int as resolved,
          case when t.status = 'closed' and t.resolved_at is not null
            then round(extract(epoch from t.resolved_at - t.created_at) * 1000)::bigint else 0 end
            as resolution_ms,
          (t.first_response_at is not null)::int as responded,
          coalesce(round(extract(epoch from t.first_response_at - t.created_at) * 1000)::bigint, 0)
            as first_response_ms
      )
      select t.workspace_id, breakdown.day, breakdown.dimension, breakdown.value, 1,
        facts.closed, facts.escalated, facts.unassigned_open, facts.resolved, facts.resolution_ms,
        facts.responded, facts.first_response_ms
      from facts cross join lateral (values
        (facts.day, 'total', ''),
        (facts.day, 'status', t.status),
        (facts.day, 'priority', t.priority),
        (facts.day, 'category', t.category),
        (facts.day, 'assignee', t.assigned_to::text)
      ) as breakdown (day, dimension, value)
      where breakdown.value is not null
      union all
      select t.workspace_id, (t.resolved_at at time zone 'UTC')::date, 'closed_on', '', 1, 1, 0, 0, 0, 0, 0, 0
      where t.status = 'closed' and t.resolved_at is not null
    $$`.execute(db);

  // Every ticket's rows summed: the full recount, for back-filling, for bulk loads that switch the
  // trigger off, and for checking that the running totals are right (null: every workspace).
  await sql`
    create function ticket_stats_recount(only_workspace uuid)
    returns setof ticket_stats_daily
    language sql stable
    as $$
      select r.workspace_id, r.day, r.dimension, r.value, sum(r.tickets)::int, sum(r.closed)::int,
        sum(r.escalated)::int, sum(r.unassigned_open)::int, sum(r.resolved)::int,
        sum(r.resolution_ms)::bigint, sum(r.responded)::int, sum(r.first_response_ms)::bigint
      from tickets t cross join lateral ticket_stats_rows(t) r
      where only_workspace is null or t.workspace_id = only_workspace
      group by r.workspace_id, r.day, r.dimension, r.value
    $$`.execute(db);

  // The same totals over all time, one row per breakdown value: what a report with no window reads, so
  // the default report costs a few dozen rows however long the history.
  await sql`
    create table ticket_stats_total (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      dimension text not null check (dimension in ('total', 'status', 'priority', 'category', 'assignee')),
      value text not null,
      ${measureColumns},
      primary key (workspace_id, dimension, value)
    )`.execute(db);

  // Adds (sign 1) or takes out (sign -1) one ticket's rows. Taking out only updates rows that exist (the
  // ticket's insert made them), so a workspace deleted with its tickets is no problem. The first lock
  // taken is always the workspace's all-time 'total' row: every transaction writing a workspace's
  // figures queues there, so two of them can never deadlock on the rest.
  await sql`
    create function ticket_stats_apply(t tickets, sign integer) returns void
    language plpgsql
    as $$
    declare
      r ticket_stats_daily;
    begin
      for r in select * from ticket_stats_rows(t) loop
        if sign < 0 then
          if r.dimension <> 'closed_on' then
            update ticket_stats_total s set
              ${adjusted('-', 'r')}
            where (s.workspace_id, s.dimension, s.value) = (r.workspace_id, r.dimension, r.value);
          end if;
          update ticket_stats_daily s set
            ${adjusted('-', 'r')}
          where (s.workspace_id, s.day, s.dimension, s.value) = (r.workspace_id, r.day, r.dimension, r.value);
        else
          if r.dimension <> 'closed_on' then
            insert into ticket_stats_total as s
            values (r.workspace_id, r.dimension, r.value, ${measuresOf('r')})
            on conflict (workspace_id, dimension, value) do update set
              ${adjusted('+', 'excluded')};
          end if;
          insert into ticket_stats_daily as s values (r.*)
          on conflict (workspace_id, day, dimension, value) do update set
            ${adjusted('+', 'excluded')};
        end if;
      end loop;
    end
    $$`.execute(db);
  await sql`
    create function ticket_stats_track() returns trigger
    language plpgsql
    as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then perform ticket_stats_apply(old, -1); end if;
      if tg_op in ('INSERT', 'UPDATE') then perform ticket_stats_apply(new, 1); end if;
      return null;
    end
    $$`.execute(db);
  // Deferred to commit: the rows above stay locked only while the transaction commits, not while it goes
  // on to write its audit event and notifications. A failure in them still fails the whole commit.
  await sql`
    create constraint trigger tickets_stats_on_insert_delete after insert or delete on tickets
    deferrable initially deferred
    for each row execute function ticket_stats_track()`.execute(db);
  // Most updates (a new message bumps updated_at, an edit of the title) change no figure: skip them.
  await sql`
    create constraint trigger tickets_stats_on_update after update on tickets
    deferrable initially deferred
    for each row when (
      (old.workspace_id, old.created_at, old.status, old.priority, old.category, old.assigned_to,
        old.is_escalated, old.resolved_at, old.first_response_at)
      is distinct from
      (new.workspace_id, new.created_at, new.status, new.priority, new.category, new.assigned_to,
        new.is_escalated, new.resolved_at, new.first_response_at)
    )
    execute function ticket_stats_track()`.execute(db);

  // Both tables from scratch: the back-fill below, and bulk loads that switch the triggers off.
  await sql`
    create function ticket_stats_rebuild() returns void
    language sql
    as $$
      delete from ticket_stats_total;
      delete from ticket_stats_daily;
      insert into ticket_stats_daily select * from ticket_stats_recount(null);
      insert into ticket_stats_total
      select workspace_id, dimension, value, sum(tickets), sum(closed), sum(escalated), sum(unassigned_open),
        sum(resolved), sum(resolution_ms), sum(responded), sum(first_response_ms)
      from ticket_stats_daily where dimension <> 'closed_on'
      group by workspace_id, dimension, value;
    $$`.execute(db);
  await sql`select ticket_stats_rebuild()`.execute(db);
  await sql`analyze ticket_stats_daily`.execute(db);
  await sql`analyze ticket_stats_total`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists tickets_stats_on_update on tickets`.execute(db);
  await sql`drop trigger if exists tickets_stats_on_insert_delete on tickets`.execute(db);
  await sql`drop function if exists ticket_stats_rebuild()`.execute(db);
  await sql`drop function if exists ticket_stats_track()`.execute(db);
  await sql`drop function if exists ticket_stats_apply(tickets, integer)`.execute(db);
  await sql`drop function if exists ticket_stats_recount(uuid)`.execute(db);
  await sql`drop function if exists ticket_stats_rows(tickets)`.execute(db);
  await sql`drop table if exists ticket_stats_total`.execute(db);
  await sql`drop table if exists ticket_stats_daily`.execute(db);
}
