import { announcementsSettled } from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, RawNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../testing/harness';

/** Counts the statements a Kysely instance runs: every one, builder or raw, passes through its plugins. */
class StatementCounter implements KyselyPlugin {
  statements = 0;
  /** The statements that write (insert, update, delete, or raw SQL that is not a plain read). */
  writes: string[] = [];
  /** The NOTIFYs sent after commit (announcements.ts): not part of the call's own statements. */
  announcements = 0;
  readonly #announcementIds = new WeakSet<object>();
  transformQuery(args: PluginTransformQueryArgs) {
    const { node } = args;
    if (node.kind === 'RawNode') {
      const text = (node as RawNode).sqlFragments.join('?').trim().toLowerCase();
      if (text.startsWith('select pg_notify(')) this.#announcementIds.add(args.queryId);
      else if (!/^(select|with)\b/.test(text) || /\b(insert|update|delete)\b/.test(text))
        this.writes.push(text);
    } else if (node.kind !== 'SelectQueryNode') {
      this.writes.push(node.kind);
    }
    return node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    if (this.#announcementIds.has(args.queryId)) this.announcements += 1;
    else this.statements += 1;
    return args.result;
  }
}

// The procedures run over a Kysely instance that shares the test pool and counts what it sends; the
// rows are made through the uncounted one. BEGIN/COMMIT are driver calls, not statements, so they are
// not counted: the figures are the SQL statements each call sends once its session is in the session
// cache (as it is for every call but a session's first within the cache's lifetime).
const database = await openTestDatabase();
const counter = new StatementCounter();
const api = await createTestApi({ db: database.db.withPlugin(counter) });
afterAll(async () => {
  await api.close();
  await database.close();
});

const ROWS = 60;

async function statementsOf<T>(
  call: () => Promise<T>,
): Promise<{ statements: number; writes: string[]; announcements: number; result: T }> {
  counter.statements = 0;
  counter.writes = [];
  counter.announcements = 0;
  const result = await call();
  await announcementsSettled(api.services.db);
  return {
    statements: counter.statements,
    writes: counter.writes,
    announcements: counter.announcements,
    result,
  };
}

let cast: Awaited<ReturnType<typeof createWorkspaceWithCast>>;
let ticketId: string;

beforeAll(async () => {
  const db = api.db;
  cast = await createWorkspaceWithCast(db);
  const workspaceId = cast.workspace.id;
  const base = { workspaceId, createdBy: cast.client.user.id };
  const tickets = await db
    .insertInto('tickets')
    .values(
      Array.from({ length: ROWS }, (_, index) => ({ ...base, title: `Row ${index}`, description: 'x' })),
    )
    .returning('id')
    .execute();
  ticketId = (await createTicket(db, { ...base, assignedTo: cast.support.user.id })).id;
  const authors = [cast.client.user.id, cast.support.user.id];
  await db
    .insertInto('messages')
    .values(
      Array.from({ length: ROWS }, (_, index) => ({
        workspaceId,
        ticketId,
        authorId: authors[index % 2] as string,
        body: `Message ${index}`,
      })),
    )
    .execute();
  await db
    .insertInto('attachments')
    .values(
      Array.from({ length: ROWS }, (_, index) => ({
        workspaceId,
        ticketId,
        uploadedBy: cast.client.user.id,
        filename: `file-${index}.txt`,
        contentType: 'text/plain',
        size: 1,
        sha256: '0'.repeat(64),
        storageKey: `statement-count/${workspaceId}/${index}`,
      })),
    )
    .execute();
  await db
    .insertInto('auditEvents')
    .values(
      tickets.map((ticket) => ({
        workspaceId,
        ticketId: ticket.id,
        actorId: cast.client.user.id,
        action: 'ticket.created',
      })),
    )
    .execute();
  await db
    .insertInto('notifications')
    .values(
      tickets.map((ticket) => ({
        workspaceId,
        userId: cast.client.user.id,
        type: 'ticket.assigned',
        ticketId: ticket.id,
        actorId: cast.support.user.id,
      })),
    )
    .execute();
  await db
    .insertInto('users')
    .values(
      Array.from({ length: ROWS }, (_, index) => ({
        workspaceId,
        role: 'client',
        email: `statement-count-${workspaceId}-${index}@example.test`,
        name: `Requester ${index}`,
        passwordHash: cast.client.user.passwordHash,
      })),
    )
    .execute();
  await db
    .insertInto('workspaces')
    .values(
      Array.from({ length: ROWS }, (_, index) => ({
        name: `Counted ${index}`,
        slug: `counted-${workspaceId}-${index}`,
      })),
    )
    .execute();
});

type Page = { items: unknown[]; nextCursor: string | null };

/** Each list: who calls it, how, and how many statements one call sends whatever the page size. */
// Every session of the cast checked once, as a signed-in user's first call does.
beforeAll(async () => {
  for (const member of [cast.superadmin, cast.admin, cast.support, cast.writer, cast.client]) {
    await api.as(member.token).auth.me();
  }
});

const lists: Array<{ name: string; statements: number; call: (limit: number) => Promise<Page> }> = [
  {
    name: 'tickets.list (requester)',
    statements: 1,
    call: (limit) => api.as(cast.client.token).tickets.list({ limit }),
  },
  {
    name: 'tickets.list (staff, filtered and searched)',
    statements: 1,
    call: (limit) => api.as(cast.support.token).tickets.list({ limit, status: 'open', q: 'row' }),
  },
  {
    name: 'messages.list',
    statements: 2,
    call: (limit) => api.as(cast.support.token).messages.list({ ticketId, limit }),
  },
  {
    name: 'attachments.list',
    statements: 2,
    call: (limit) => api.as(cast.support.token).attachments.list({ ticketId, limit }),
  },
  {
    name: 'logs.list',
    statements: 1,
    call: (limit) => api.as(cast.admin.token).logs.list({ limit }),
  },
  {
    name: 'notifications.list',
    statements: 1,
    call: (limit) => api.as(cast.client.token).notifications.list({ limit }),
  },
  {
    name: 'users.list',
    statements: 1,
    call: (limit) => api.as(cast.admin.token).users.list({ limit }),
  },
  {
    name: 'workspaces.list (superadmin)',
    statements: 1,
    call: (limit) => api.as(cast.superadmin.token).workspaces.list({ limit }),
  },
];

describe('statements per list call (no N+1)', () => {
  it.each(lists)(
    'given ≥ 60 rows, when $name is called with limit 5 and limit 50, then both send $statements statements',
    async ({ call, statements }) => {
      const small = await statementsOf(() => call(5));
      const large = await statementsOf(() => call(50));

      expect(small.result.items).toHaveLength(5);
      expect(large.result.items).toHaveLength(50);
      expect(large.result.nextCursor).not.toBeNull();
      expect({ small: small.statements, large: large.statements }).toEqual({
        small: statements,
        large: statements,
      });
      // A read is a read: nothing a query sends writes (no rate-limit row, no session touch).
      expect([...small.writes, ...large.writes]).toEqual([]);
    },
  );
});

describe('statements per single call', () => {
  const singles: Array<{ name: string; statements: number; call: () => Promise<unknown> }> = [
    { name: 'auth.me', statements: 1, call: () => api.as(cast.client.token).auth.me() },
    {
      name: 'tickets.get',
      statements: 1,
      call: () => api.as(cast.support.token).tickets.get({ id: ticketId }),
    },
    { name: 'stats.generate', statements: 2, call: () => api.as(cast.admin.token).stats.generate({}) },
    {
      name: 'notifications.unreadCount',
      statements: 1,
      call: () => api.as(cast.client.token).notifications.unreadCount(),
    },
  ];

  it.each(singles)(
    'when $name is called, then it sends $statements statements',
    async ({ call, statements }) => {
      const { statements: sent, writes } = await statementsOf(call);
      expect(sent).toBe(statements);
      expect(writes).toEqual([]);
    },
  );
});

describe('statements per write', () => {
  // A reply is one statement (atomic on its own, so no BEGIN/COMMIT either): the ticket's row lock is
  // held for one statement's execution, not across round trips. It locks the ticket, inserts the
  // message (its author's name returned with it), stamps the ticket, writes the audit event, its webhook
  // deliveries, the notifications with their e-mails. Once it has committed, one NOTIFY (batched with
  // whatever else committed meanwhile) tells every instance: outside the write, so writes do not queue on
  // PostgreSQL's commit-time NOTIFY lock.
  it('when a public staff reply is posted, then it sends 1 statement, then its NOTIFY', async () => {
    const { statements, announcements } = await statementsOf(() =>
      api.as(cast.support.token).messages.create({ ticketId, body: 'We are on it.' }),
    );
    expect(statements).toBe(1);
    expect(announcements).toBe(1);
  });

  it('when a reply carries an idempotency key, then the key adds its claim and its stored answer', async () => {
    const { statements } = await statementsOf(() =>
      api
        .as(cast.support.token)
        .messages.create({ ticketId, body: 'We are on it.', idempotencyKey: crypto.randomUUID() }),
    );
    expect(statements).toBe(3);
  });
});
