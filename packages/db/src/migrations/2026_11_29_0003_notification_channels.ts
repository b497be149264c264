import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.

const outboxStatuses = ['pending', 'sent', 'failed', 'skipped'];
const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  // One row per notification to deliver on a channel other than in-app. It is written in the transaction
  // of the action, so a notification that commits is never lost to a crash before its e-mail is sent,
  // and one that rolls back never sends anything.
  await db.schema
    .createTable('notification_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('notification_id', 'uuid', (c) =>
      c.notNull().references('notifications.id').onDelete('cascade'),
    )
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in (${inList(outboxStatuses)})`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // Also the lease: a worker that claims a row pushes it into the future, so a crash mid-send retries.
    .addColumn('next_attempt_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz(3)')
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('notification_outbox_notification_channel_key', ['notification_id', 'channel'])
    .execute();
  // Workers only ever look for due pending rows; finished ones are pruned by age.
  await sql`create index notification_outbox_due_idx on notification_outbox (next_attempt_at) where status = 'pending'`.execute(
    db,
  );
  await sql`create index notification_outbox_finished_idx on notification_outbox (updated_at) where status <> 'pending'`.execute(
    db,
  );

  // Only the choices a user changed are stored: no row means the channel's default (on).
  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('notification_preferences_pkey', ['user_id', 'channel', 'type'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_preferences').ifExists().execute();
  await db.schema.dropTable('notification_outbox').ifExists().execute();
}
