import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  // One row per URL a workspace pushes its events to. The secret signs (HMAC) and so must be stored as
  // is; during a rotation the previous secret keeps signing until previous_secret_expires_at.
  await sql`
    create table webhook_endpoints (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces (id) on delete cascade,
      url text not null,
      events text[] not null,
      include_internal boolean not null default false,
      enabled boolean not null default true,
      secret text not null,
      previous_secret text,
      previous_secret_expires_at timestamptz(3),
      consecutive_failures integer not null default 0,
      failing_since timestamptz(3),
      disabled_reason text,
      created_by uuid not null references users (id),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    )`.execute(db);
  // Every audit event looks up the enabled endpoints of its workspace (in the same statement).
  await sql`create index webhook_endpoints_workspace_idx on webhook_endpoints (workspace_id) where enabled`.execute(
    db,
  );

  // The outbox of webhooks: one row per (message, endpoint) to POST, written in the transaction of the
  // event. The payload is frozen at write time, so a retry or a redelivery sends the same bytes' meaning.
  await sql`
    create table webhook_deliveries (
      id uuid primary key default gen_random_uuid(),
      endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      message_id text not null,
      event_type text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz(3) not null default now(),
      last_attempt_at timestamptz(3),
      last_status_code integer,
      last_latency_ms integer,
      last_error text,
      delivered_at timestamptz(3),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    )`.execute(db);
  // Workers only look for due pending rows; the console lists an endpoint's newest; pruning goes by age.
  await sql`create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending'`.execute(
    db,
  );
  await sql`create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index webhook_deliveries_finished_idx on webhook_deliveries (updated_at) where status <> 'pending'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists webhook_deliveries`.execute(db);
  await sql`drop table if exists webhook_endpoints`.execute(db);
}
