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
