import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  // One row per server start that found no superadmin: the SHA-256 of the one-time token that start
  // printed. Only the hash is stored, so a read of this table cannot be replayed; every instance on one
  // PostgreSQL sees every row, so whichever instance receives the call accepts any printed token. The
  // first successful setup deletes every row.
  await sql`
    create table setup_tokens (
      token_hash bytea primary key,
      created_at timestamptz not null default now()
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists setup_tokens`.execute(db);
}
