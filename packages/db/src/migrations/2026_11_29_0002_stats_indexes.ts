import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  // The statistics' closed-per-day series reads a workspace's tickets by close time. Without this, it
  // walks every closed ticket the workspace ever had; with it, only those closed in the window. Partial,
  // because open tickets (most writes) have no close time and need not pay for the index.
  await sql`create index tickets_ws_resolved_idx on tickets (workspace_id, resolved_at) where resolved_at is not null`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists tickets_ws_resolved_idx`.execute(db);
}
