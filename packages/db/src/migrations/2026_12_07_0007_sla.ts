import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.

// The service-level policy every workspace starts with: the original app's resolution deadlines and
// first-response targets a quarter of them (at most 8 h), in calendar hours (no business calendar).
const defaultTargets = JSON.stringify({
  critical: { firstResponseMinutes: 15, resolutionMinutes: 60 },
  high: { firstResponseMinutes: 60, resolutionMinutes: 240 },
  medium: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
  low: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
});

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  // Versions of each workspace's policy: an edit adds a version, and a ticket records the version its
  // clock runs on, so no edit rewrites a ticket's targets behind its back. business_hours null means
  // calendar hours; otherwise { timeZone, hours: [{ weekday, start, end }], holidays: [date] }.
  await sql`
    create table sla_policies (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces (id) on delete cascade,
      version integer not null,
      targets jsonb not null,
      business_hours jsonb,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz(3) not null default now(),
      unique (workspace_id, version)
    )`.execute(db);
  // Every workspace, however created (the API, a factory, a bulk load), has a policy from its first moment.
  await sql`
    create function sla_default_policy() returns trigger
    language plpgsql
    as $$
    begin
      insert into sla_policies (workspace_id, version, targets) values (new.id, 1, ${sql.lit(defaultTargets)}::jsonb);
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger workspaces_sla_default_policy after insert on workspaces
    for each row execute function sla_default_policy()`.execute(db);
  await sql`
    insert into sla_policies (workspace_id, version, targets)
    select id, 1, ${sql.lit(defaultTargets)}::jsonb from workspaces`.execute(db);

  // The ticket's clock. elapsed: business seconds the clock ran before running_since (all of it while
  // paused or stopped); running_since null: paused (awaiting_response) or stopped (closed). Due times as
  // the application computed them; next_due: the nearest target neither met nor breached (null: none
  // running), for the breach worker and the list's order; sla_sort_at is it with "none" last.
  await sql`
    alter table tickets
      add column sla_policy_id uuid references sla_policies (id),
      add column sla_elapsed_seconds integer not null default 0,
      add column sla_running_since timestamptz(3),
      add column sla_first_response_due_at timestamptz(3),
      add column sla_resolution_due_at timestamptz(3),
      add column sla_next_due_at timestamptz(3),
      add column sla_first_response_breached_at timestamptz(3),
      add column sla_resolution_breached_at timestamptz(3),
      add column sla_first_response_warned_at timestamptz(3),
      add column sla_resolution_warned_at timestamptz(3),
      add column sla_sort_at timestamptz(3) generated always as (coalesce(sla_next_due_at, 'infinity')) stored
  `.execute(db);

  // Existing tickets get clocks from their creation on the default policy (calendar hours, so plain
  // interval arithmetic). History is unknown: a ticket awaiting a response now counts as paused since
  // now, with everything since creation elapsed. Targets already missed are recorded as breached (and
  // warned) without an event: the breaches happened before the feature, announcing them all at the first
  // start would flood every inbox.
  await sql`
    with clock as (
      select t.id, p.id as policy_id, t.status, t.first_response_at, t.resolved_at,
        t.created_at + make_interval(mins => (p.targets -> t.priority ->> 'firstResponseMinutes')::int) as fr_due,
        t.created_at + make_interval(mins => (p.targets -> t.priority ->> 'resolutionMinutes')::int) as res_due,
        case t.status when 'closed' then t.resolved_at when 'awaiting_response' then now() end as stopped_at
      from tickets t join sla_policies p on p.workspace_id = t.workspace_id and p.version = 1
    ), outcome as (
      select clock.*,
        case when coalesce(first_response_at, stopped_at, now()) > fr_due then fr_due end as fr_breached,
        case when coalesce(stopped_at, now()) > res_due then res_due end as res_breached
      from clock
    )
    update tickets t set
      sla_policy_id = o.policy_id,
      sla_elapsed_seconds = case when o.stopped_at is null then 0
        else greatest(0, round(extract(epoch from o.stopped_at - t.created_at)))::int end,
      sla_running_since = case when o.stopped_at is null then t.created_at end,
      sla_first_response_due_at = case when o.status = 'awaiting_response' and o.first_response_at is null
        then null else o.fr_due end,
      sla_resolution_due_at = case when o.status = 'awaiting_response' then null else o.res_due end,
      sla_first_response_breached_at = o.fr_breached,
      sla_resolution_breached_at = o.res_breached,
      sla_first_response_warned_at = o.fr_breached,
      sla_resolution_warned_at = o.res_breached,
      sla_next_due_at = case when o.stopped_at is null then least(
        case when o.first_response_at is null and o.fr_breached is null then o.fr_due end,
        case when o.res_breached is null then o.res_due end) end
    from outcome o where o.id = t.id`.execute(db);

  // Service-level statistics, kept like migration 0006's running totals: per workspace and UTC day, how
  // many tickets created that day met or missed each target (a target counts once decided: answered or
  // missed, closed or missed), and ('breached_on', keyed by the day the due time passed) how many
  // targets were missed that day. A deferred trigger keeps them exact in the ticket's transaction.
  await sql`
    create table sla_stats_daily (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      day date not null,
      measure text not null
        check (measure in ('first_response_met', 'first_response_breached', 'resolution_met', 'resolution_breached', 'breached_on')),
      n integer not null default 0,
      primary key (workspace_id, day, measure)
    )`.execute(db);
  await sql`
    create function sla_stats_rows(t tickets)
    returns table (workspace_id uuid, day date, measure text, n integer)
    language sql stable
    as $$
      select t.workspace_id, rows.day, rows.measure, 1
      from (values
        ((t.created_at at time zone 'UTC')::date, 'first_response_met',
          t.first_response_at is not null and t.sla_first_response_breached_at is null),
        ((t.created_at at time zone 'UTC')::date, 'first_response_breached', t.sla_first_response_breached_at is not null),
        ((t.created_at at time zone 'UTC')::date, 'resolution_met', t.status = 'closed' and t.sla_resolution_breached_at is null),
        ((t.created_at at time zone 'UTC')::date, 'resolution_breached', t.sla_resolution_breached_at is not null),
        ((t.sla_first_response_breached_at at time zone 'UTC')::date, 'breached_on', t.sla_first_response_breached_at is not null),
        ((t.sla_resolution_breached_at at time zone 'UTC')::date, 'breached_on', t.sla_resolution_breached_at is not null)
      ) as rows (day, measure, applies)
      where t.sla_policy_id is not null and rows.applies
    $$`.execute(db);
  await sql`
    create function sla_stats_recount(only_workspace uuid)
    returns table (workspace_id uuid, day date, measure text, n integer)
    language sql stable
    as $$
      select r.workspace_id, r.day, r.measure, sum(r.n)::int
      from tickets t cross join lateral sla_stats_rows(t) r
      where only_workspace is null or t.workspace_id = only_workspace
      group by r.workspace_id, r.day, r.measure
    $$`.execute(db);
  // Takes the workspace's all-time statistics row first, as migration 0006's trigger does, so writers
  // of one workspace's figures queue in one place and never deadlock on the rows after it.
  await sql`
    create function sla_stats_track() returns trigger
    language plpgsql
    as $$
    declare
      t tickets;
      sign integer;
      r record;
    begin
      perform 1 from ticket_stats_total s
      where s.workspace_id = coalesce(new.workspace_id, old.workspace_id) and s.dimension = 'total' and s.value = ''
      for update;
      foreach sign in array array[-1, 1] loop
        if sign < 0 then t := old; else t := new; end if;
        continue when (sign < 0 and tg_op = 'INSERT') or (sign > 0 and tg_op = 'DELETE');
        for r in select * from sla_stats_rows(t) order by day, measure loop
          if sign < 0 then
            update sla_stats_daily s set n = s.n - r.n
            where (s.workspace_id, s.day, s.measure) = (r.workspace_id, r.day, r.measure);
          else
            insert into sla_stats_daily as s values (r.workspace_id, r.day, r.measure, r.n)
            on conflict (workspace_id, day, measure) do update set n = s.n + excluded.n;
          end if;
        end loop;
      end loop;
      return null;
    end
    $$`.execute(db);
  await sql`
    create constraint trigger tickets_sla_stats_on_insert_delete after insert or delete on tickets
    deferrable initially deferred
    for each row execute function sla_stats_track()`.execute(db);
  await sql`
    create constraint trigger tickets_sla_stats_on_update after update on tickets
    deferrable initially deferred
    for each row when (
      (old.workspace_id, old.created_at, old.status, old.first_response_at, old.sla_policy_id,
        old.sla_first_response_breached_at, old.sla_resolution_breached_at)
      is distinct from
      (new.workspace_id, new.created_at, new.status, new.first_response_at, new.sla_policy_id,
        new.sla_first_response_breached_at, new.sla_resolution_breached_at)
    )
    execute function sla_stats_track()`.execute(db);
  await sql`insert into sla_stats_daily select * from sla_stats_recount(null)`.execute(db);
  // The breaches of the partial days at a window's edges are counted from the tickets by breach time.
  await sql`
    create index tickets_ws_sla_first_response_breached_idx on tickets (workspace_id, sla_first_response_breached_at)
    where sla_first_response_breached_at is not null`.execute(db);
  await sql`
    create index tickets_ws_sla_resolution_breached_idx on tickets (workspace_id, sla_resolution_breached_at)
    where sla_resolution_breached_at is not null`.execute(db);

  // A breach is noticed by the system, not by a person: its audit event and notifications have no actor.
  await sql`alter table audit_events alter column actor_id drop not null`.execute(db);
  await sql`alter table notifications alter column actor_id drop not null`.execute(db);

  // The breach worker's claim: tickets whose nearest running target falls due soon (partial: most
  // tickets have none).
  await sql`create index tickets_sla_next_due_idx on tickets (sla_next_due_at) where sla_next_due_at is not null`.execute(
    db,
  );
  // tickets.list sort 'sla' (soonest due first, tickets without a running target last), by keyset.
  await sql`create index tickets_ws_sla_idx on tickets (workspace_id, sla_sort_at, id)`.execute(db);
  // tickets.list filter 'breached' (open tickets with a missed target), newest first.
  await sql`
    create index tickets_ws_sla_breached_idx on tickets (workspace_id, created_at desc, id desc)
    where status <> 'closed'
      and (sla_first_response_breached_at is not null or sla_resolution_breached_at is not null)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notifications where actor_id is null`.execute(db);
  await sql`delete from audit_events where actor_id is null`.execute(db);
  await sql`alter table notifications alter column actor_id set not null`.execute(db);
  await sql`alter table audit_events alter column actor_id set not null`.execute(db);
  // The triggers' conditions and the indexes name the clock's columns: they go first.
  await sql`drop index if exists tickets_ws_sla_resolution_breached_idx`.execute(db);
  await sql`drop index if exists tickets_ws_sla_first_response_breached_idx`.execute(db);
  await sql`drop trigger if exists tickets_sla_stats_on_update on tickets`.execute(db);
  await sql`drop trigger if exists tickets_sla_stats_on_insert_delete on tickets`.execute(db);
  await sql`drop function if exists sla_stats_track()`.execute(db);
  await sql`drop function if exists sla_stats_recount(uuid)`.execute(db);
  await sql`drop function if exists sla_stats_rows(tickets)`.execute(db);
  await sql`drop table if exists sla_stats_daily`.execute(db);
  await sql`drop index if exists tickets_ws_sla_breached_idx`.execute(db);
  await sql`drop index if exists tickets_ws_sla_idx`.execute(db);
  await sql`drop index if exists tickets_sla_next_due_idx`.execute(db);
  await sql`
    alter table tickets
      drop column if exists sla_sort_at,
      drop column if exists sla_resolution_warned_at,
      drop column if exists sla_first_response_warned_at,
      drop column if exists sla_resolution_breached_at,
      drop column if exists sla_first_response_breached_at,
      drop column if exists sla_next_due_at,
      drop column if exists sla_resolution_due_at,
      drop column if exists sla_first_response_due_at,
      drop column if exists sla_running_since,
      drop column if exists sla_elapsed_seconds,
      drop column if exists sla_policy_id`.execute(db);
  await sql`drop trigger if exists workspaces_sla_default_policy on workspaces`.execute(db);
  await sql`drop function if exists sla_default_policy()`.execute(db);
  await sql`drop table if exists sla_policies`.execute(db);
}
