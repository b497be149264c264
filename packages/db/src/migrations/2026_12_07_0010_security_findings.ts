import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  // Whether a notification is about something only staff may see (an internal note or attachment): what
  // reaches a user is decided by their role now, so a demoted agent stops seeing these at once.
  await sql`alter table notifications add column internal boolean not null default false`.execute(db);
  await sql`update notifications set internal = true where data ->> 'internal' = 'true'`.execute(db);

  // Devices (browsers, programs) that signed in to an account successfully: sign-in attempts presenting
  // one are not blocked by failures from elsewhere (OWASP's device cookie). Only a hash of the secret
  // is kept, as for sessions.
  await sql`
    create table sign_in_devices (
      id text primary key,
      secret_hash bytea not null,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index sign_in_devices_user_idx on sign_in_devices (user_id)`.execute(db);
  await sql`create index sign_in_devices_expires_idx on sign_in_devices (expires_at)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists sign_in_devices`.execute(db);
  await sql`alter table notifications drop column if exists internal`.execute(db);
}
