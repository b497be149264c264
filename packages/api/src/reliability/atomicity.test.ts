import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { uploadAttachment } from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseProbe } from '../procedures/tickets/test-support';
import { createTestApi } from '../testing/harness';

// A failure injected after the change but before its audit event (or notification) is written must leave
// nothing behind. The seam is the database itself: a trigger that makes the INSERT into audit_events or
// notifications raise, limited to the test's own workspace so tests running beside it are untouched.
// No production code knows about it.

let api: Awaited<ReturnType<typeof createTestApi>>;
let probe: ReturnType<typeof databaseProbe>;

beforeAll(async () => {
  api = await createTestApi();
  probe = databaseProbe(api);
  await sql`
    create or replace function reliability_injected_failure() returns trigger language plpgsql as $$
    begin
      raise exception 'injected failure on %', tg_table_name;
    end $$`.execute(api.db);
});
afterAll(() => api.close());

type FailingTable = 'audit_events' | 'notifications';

/** Runs `work` while every INSERT into `table` for `workspaceId` fails. */
async function whileInsertsFail<T>(table: FailingTable, workspaceId: string, work: () => Promise<T>) {
  // DDL takes no bind parameters: the id is checked to be a plain uuid before it is spliced in.
  if (!/^[0-9a-f-]{36}$/.test(workspaceId)) throw new Error(`not a uuid: ${workspaceId}`);
  const trigger = sql.raw(`fail_${table}_${workspaceId.replaceAll('-', '')}`);
  await sql`
    create trigger ${trigger} before insert on ${sql.raw(table)} for each row
    when (new.workspace_id = ${sql.raw(`'${workspaceId}'`)}) execute function reliability_injected_failure()`.execute(
    api.db,
  );
  try {
    return await work();
  } finally {
    await sql`drop trigger ${trigger} on ${sql.raw(table)}`.execute(api.db);
  }
}

async function castWithTicket() {
  const cast = await createWorkspaceWithCast(api.db);
  const ticket = await createTicket(api.db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
  });
  return { ...cast, ticket };
}

/** Everything a command could have written about a ticket, to compare before and after. */
async function snapshot(ticketId: string) {
  return {
    ticket: await probe.ticket(ticketId),
    events: await probe.events(ticketId),
    notifications: await probe.notifications(ticketId),
    messages: await api.db.selectFrom('messages').selectAll().where('ticketId', '=', ticketId).execute(),
    attachments: await api.db
      .selectFrom('attachments')
      .selectAll()
      .where('ticketId', '=', ticketId)
      .execute(),
  };
}

async function storedFiles() {
  const entries = await readdir(api.storageDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('given a failure injected before the audit event or notification is written', () => {
  it('when tickets.create fails on its audit event, then no ticket remains', async () => {
    const { client, workspace } = await createWorkspaceWithCast(api.db);

    await whileInsertsFail('audit_events', workspace.id, () =>
      expect(
        api.as(client.token).tickets.create({ title: 'Printer on fire', description: 'Smoke.' }),
      ).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' }),
    );

    expect(await probe.ticketsCreatedBy(client.user.id)).toEqual([]);
  });

  const commands = [
    {
      name: 'tickets.update',
      failing: 'audit_events',
      run: (caller: Caller, id: string) => caller.tickets.update({ id, title: 'Changed', priority: 'high' }),
    },
    {
      name: 'tickets.assign',
      failing: 'audit_events',
      run: (caller: Caller, id: string, assigneeId: string) => caller.tickets.assign({ id, assigneeId }),
    },
    {
      name: 'tickets.assign',
      failing: 'notifications',
      run: (caller: Caller, id: string, assigneeId: string) => caller.tickets.assign({ id, assigneeId }),
    },
    {
      name: 'tickets.escalate',
      failing: 'audit_events',
      run: (caller: Caller, id: string) => caller.tickets.escalate({ id, reason: 'VIP' }),
    },
    {
      name: 'tickets.escalate',
      failing: 'notifications',
      run: (caller: Caller, id: string) => caller.tickets.escalate({ id, reason: 'VIP' }),
    },
    {
      name: 'tickets.close',
      failing: 'audit_events',
      run: (caller: Caller, id: string) => caller.tickets.close({ id }),
    },
    {
      name: 'tickets.close',
      failing: 'notifications',
      run: (caller: Caller, id: string) => caller.tickets.close({ id }),
    },
    {
      name: 'messages.create',
      failing: 'audit_events',
      run: (caller: Caller, id: string) => caller.messages.create({ ticketId: id, body: 'On it.' }),
    },
    {
      name: 'messages.create',
      failing: 'notifications',
      run: (caller: Caller, id: string) => caller.messages.create({ ticketId: id, body: 'On it.' }),
    },
  ] as const satisfies ReadonlyArray<{
    name: string;
    failing: FailingTable;
    run: (caller: Caller, id: string, assigneeId: string) => Promise<unknown>;
  }>;

  it.each(commands)(
    'when $name fails writing $failing, then the ticket, events, notifications and messages are unchanged',
    async ({ failing, run }) => {
      const { ticket, admin, support, workspace } = await castWithTicket();
      const before = await snapshot(ticket.id);

      await whileInsertsFail(failing, workspace.id, () =>
        expect(run(api.as(admin.token), ticket.id, support.user.id)).rejects.toMatchObject({
          code: 'INTERNAL_SERVER_ERROR',
        }),
      );

      expect(await snapshot(ticket.id)).toEqual(before);
    },
  );

  it.each(['audit_events', 'notifications'] as const)(
    'when tickets.reopen fails writing %s, then the ticket stays closed at its version',
    async (failing) => {
      const { admin, client, workspace } = await createWorkspaceWithCast(api.db);
      const ticket = await createTicket(api.db, {
        workspaceId: workspace.id,
        createdBy: client.user.id,
        status: 'closed',
        resolvedAt: new Date(),
      });
      const before = await snapshot(ticket.id);

      await whileInsertsFail(failing, workspace.id, () =>
        expect(api.as(admin.token).tickets.reopen({ id: ticket.id })).rejects.toMatchObject({
          code: 'INTERNAL_SERVER_ERROR',
        }),
      );

      expect(await snapshot(ticket.id)).toEqual(before);
      expect(before.ticket.status).toBe('closed');
    },
  );

  it.each(['audit_events', 'notifications'] as const)(
    'when an upload fails writing %s, then no attachment row and no stored bytes remain',
    async (failing) => {
      const { ticket, admin, workspace } = await castWithTicket();
      const before = await snapshot(ticket.id);
      const upload = () =>
        uploadAttachment(
          { db: api.db, storage: api.services.storage, maxUploadBytes: api.services.maxUploadBytes },
          admin.actor,
          { ticketId: ticket.id, internal: false },
          {
            filename: 'log.txt',
            declaredType: 'text/plain',
            content: Readable.from([Buffer.from('line one\nline two\n')]),
          },
        );

      await whileInsertsFail(failing, workspace.id, () =>
        expect(upload()).rejects.toThrow(/injected failure/),
      );

      expect(await snapshot(ticket.id)).toEqual(before);
      expect(await storedFiles()).toEqual([]);
    },
  );
});

type Caller = ReturnType<typeof api.as>;
