import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  // Request counters shared by every server instance. UNLOGGED: no WAL for a hot, write-only-once-per-
  // request table, and losing the counters in a crash only resets the windows (never a security hole
  // worse than a restart). One row per key; the window it counts ends at expires_at.
  await sql`
    create unlogged table rate_limits (
      key text primary key,
      expires_at timestamptz not null,
      hits integer not null
    )`.execute(db);
  await sql`create index rate_limits_expires_idx on rate_limits (expires_at)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists rate_limits`.execute(db);
}
