import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code, and never change once released.
// Write a new migration instead.
// Timestamps keep milliseconds only, so a Date read back into a keyset cursor matches the row exactly.

const ticketStatuses = ['open', 'in_progress', 'awaiting_response', 'escalated', 'closed'];
const ticketPriorities = ['low', 'medium', 'high', 'critical'];
const ticketCategories = ['general', 'payment', 'technical', 'feedback', 'order', 'other'];
const roles = ['superadmin', 'admin', 'support', 'writer', 'client'];

const inList = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (Kysely docs).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('allow_sign_up', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.references('workspaces.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in (${inList(roles)})`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    // Only a superadmin lives outside every workspace.
    .addCheckConstraint('users_workspace_by_role', sql`(role = 'superadmin') = (workspace_id is null)`)
    .execute();
  // E-mail is the sign-in name, so it is unique across workspaces, whatever its case.
  await sql`create unique index users_email_key on users (lower(email))`.execute(db);
  await db.schema
    .createIndex('users_workspace_created_idx')
    .on('users')
    .columns(['workspace_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'bytea', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz(3)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in (${inList(ticketStatuses)})`),
    )
    .addColumn('priority', 'text', (c) =>
      c
        .notNull()
        .defaultTo('medium')
        .check(sql`priority in (${inList(ticketPriorities)})`),
    )
    // Sorting by priority needs an order that text does not have; a generated rank keeps it in step.
    .addColumn('priority_rank', 'smallint', (c) =>
      c
        .notNull()
        .generatedAlwaysAs(
          sql`case priority when 'low' then 0 when 'medium' then 1 when 'high' then 2 else 3 end`,
        )
        .stored(),
    )
    .addColumn('category', 'text', (c) =>
      c
        .notNull()
        .defaultTo('general')
        .check(sql`category in (${inList(ticketCategories)})`),
    )
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('assigned_to', 'uuid', (c) => c.references('users.id'))
    .addColumn('is_escalated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('first_response_at', 'timestamptz(3)')
    .addColumn('resolved_at', 'timestamptz(3)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('search', sql`tsvector`, (c) =>
      c
        .notNull()
        .generatedAlwaysAs(
          sql`setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B')`,
        )
        .stored(),
    )
    .execute();
  // Every list is scoped to one workspace and walked by keyset: (sort key, id) after the equality filters.
  const ticketIndexes: Array<[string, string]> = [
    ['tickets_ws_created_idx', 'workspace_id, created_at desc, id desc'],
    ['tickets_ws_updated_idx', 'workspace_id, updated_at desc, id desc'],
    ['tickets_ws_priority_idx', 'workspace_id, priority_rank desc, created_at desc, id desc'],
    ['tickets_ws_creator_created_idx', 'workspace_id, created_by, created_at desc, id desc'],
    ['tickets_ws_status_created_idx', 'workspace_id, status, created_at desc, id desc'],
    ['tickets_ws_assignee_created_idx', 'workspace_id, assigned_to, created_at desc, id desc'],
  ];
  for (const [name, columns] of ticketIndexes) {
    await sql`create index ${sql.raw(name)} on tickets (${sql.raw(columns)})`.execute(db);
  }
  await sql`create index tickets_search_idx on tickets using gin (search)`.execute(db);

  await db.schema
    .createTable('messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('internal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index messages_ticket_created_idx on messages (ticket_id, created_at, id)`.execute(db);

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('message_id', 'uuid', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('uploaded_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('internal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index attachments_ticket_created_idx on attachments (ticket_id, created_at, id)`.execute(
    db,
  );

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('ticket_id', 'uuid', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('actor_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    // Requesters never see events about internal messages or attachments; the flag makes that a filter.
    .addColumn('internal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index audit_ws_created_idx on audit_events (workspace_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index audit_ticket_created_idx on audit_events (ticket_id, created_at desc, id desc)`.execute(
    db,
  );

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // A strictly increasing number gives live delivery a resumable event id.
    .addColumn('seq', 'bigint', (c) => c.notNull().unique().generatedAlwaysAsIdentity())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'uuid', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('actor_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('read_at', 'timestamptz(3)')
    .addColumn('created_at', 'timestamptz(3)', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index notifications_user_seq_idx on notifications (user_id, seq desc)`.execute(db);
  await sql`create index notifications_user_unread_idx on notifications (user_id) where read_at is null`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'notifications',
    'audit_events',
    'attachments',
    'messages',
    'tickets',
    'sessions',
    'users',
    'workspaces',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
