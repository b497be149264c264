import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { deleteExpiredIdempotencyKeys, IDEMPOTENCY_KEY_TTL_HOURS, uploadAttachment } from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseProbe, rejection } from '../procedures/tickets/test-support';
import { createTestApi } from '../testing/harness';

// tickets.create, messages.create (input field `idempotencyKey`) and uploads (`Idempotency-Key` header,
// here through the domain function the route calls) run at most once per user and key.

let api: Awaited<ReturnType<typeof createTestApi>>;
let probe: ReturnType<typeof databaseProbe>;

beforeAll(async () => {
  api = await createTestApi();
  probe = databaseProbe(api);
});
afterAll(() => api.close());

const newKey = () => `key-${randomUUID()}`;

const messagesOf = (ticketId: string) =>
  api.db.selectFrom('messages').selectAll().where('ticketId', '=', ticketId).execute();

async function storedFileCount() {
  const entries = await readdir(api.storageDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).length;
}

describe('tickets.create with an idempotency key', () => {
  it('given a created ticket, when the same request is retried with its key, then the first ticket is answered and nothing new is written', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const caller = api.as(client.token);
    const input = { title: 'VPN drops', description: 'Every hour.', idempotencyKey: newKey() };

    const first = await caller.tickets.create(input);
    const retry = await caller.tickets.create(input);

    expect(retry).toEqual(first);
    expect(retry.createdAt).toBeInstanceOf(Date);
    expect(await probe.ticketsCreatedBy(client.user.id)).toHaveLength(1);
    expect((await probe.events(first.id)).map((e) => e.action)).toEqual(['ticket.created']);
  });

  it('given a used key, when it comes with a different request, then CONFLICT IDEMPOTENCY_KEY_REUSED and nothing is created', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const caller = api.as(client.token);
    const idempotencyKey = newKey();
    await caller.tickets.create({ title: 'VPN drops', description: 'Every hour.', idempotencyKey });

    const error = await rejection(
      caller.tickets.create({ title: 'VPN drops', description: 'Every minute.', idempotencyKey }),
    );

    expect(error).toMatchObject({ code: 'CONFLICT', data: { appCode: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await probe.ticketsCreatedBy(client.user.id)).toHaveLength(1);
  });

  it('given the defaults, when a retry spells them out, then it is the same request', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const caller = api.as(client.token);
    const idempotencyKey = newKey();

    const first = await caller.tickets.create({
      title: 'Invoice',
      description: 'Wrong VAT.',
      idempotencyKey,
    });
    const retry = await caller.tickets.create({
      idempotencyKey,
      priority: 'medium',
      category: 'general',
      description: 'Wrong VAT.',
      title: 'Invoice',
    });

    expect(retry.id).toBe(first.id);
  });

  it('given a key used by one user, when another user sends the same key, then each gets their own ticket', async () => {
    const { client, writer } = await createWorkspaceWithCast(api.db);
    const input = { title: 'Same words', description: 'Same words.', idempotencyKey: newKey() };

    const mine = await api.as(client.token).tickets.create(input);
    const theirs = await api.as(writer.token).tickets.create(input);

    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.createdBy).toBe(writer.user.id);
  });

  it('given a key used for a ticket, when it is sent with messages.create, then IDEMPOTENCY_KEY_REUSED', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const caller = api.as(client.token);
    const idempotencyKey = newKey();
    const ticket = await caller.tickets.create({ title: 'A', description: 'B', idempotencyKey });

    const error = await rejection(
      caller.messages.create({ ticketId: ticket.id, body: 'Hello', idempotencyKey }),
    );

    expect(error.data.appCode).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await messagesOf(ticket.id)).toEqual([]);
  });

  it('when twenty identical requests with one key arrive at once, then all answer the same ticket and one is written', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const caller = api.as(client.token);
    const input = { title: 'Outage', description: 'Everything is down.', idempotencyKey: newKey() };

    const results = await Promise.all(Array.from({ length: 20 }, () => caller.tickets.create(input)));

    expect(new Set(results.map((ticket) => ticket.id)).size).toBe(1);
    for (const ticket of results) expect(ticket).toEqual(results[0]);
    const rows = await probe.ticketsCreatedBy(client.user.id);
    expect(rows).toHaveLength(1);
    expect((await probe.events(rows[0]?.id as string)).map((e) => e.action)).toEqual(['ticket.created']);
  });

  it('when the key is outside 8..128 printable characters, then BAD_REQUEST naming idempotencyKey', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const caller = api.as(client.token);

    for (const idempotencyKey of ['short', 'x'.repeat(129), 'has spaces in it']) {
      const error = await rejection(caller.tickets.create({ title: 'A', description: 'B', idempotencyKey }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(JSON.stringify(error.data)).toContain('idempotencyKey');
    }
    expect(await probe.ticketsCreatedBy(client.user.id)).toEqual([]);
  });

  it('then the key is kept for 24 hours, and once expired it is swept and may be used afresh', async () => {
    const { client } = await createWorkspaceWithCast(api.db);
    const caller = api.as(client.token);
    const idempotencyKey = newKey();
    const first = await caller.tickets.create({ title: 'Old', description: 'Old.', idempotencyKey });
    const kept = await api.db
      .selectFrom('idempotencyKeys')
      .select(['createdAt', 'expiresAt'])
      .where('userId', '=', client.user.id)
      .executeTakeFirstOrThrow();
    expect(kept.expiresAt.getTime() - kept.createdAt.getTime()).toBe(IDEMPOTENCY_KEY_TTL_HOURS * 3600_000);
    expect(IDEMPOTENCY_KEY_TTL_HOURS).toBeGreaterThanOrEqual(24);

    await api.db
      .updateTable('idempotencyKeys')
      .set({ expiresAt: sql<Date>`now() - interval '1 second'` })
      .where('userId', '=', client.user.id)
      .execute();
    const second = await caller.tickets.create({ title: 'New', description: 'New.', idempotencyKey });
    expect(second.id).not.toBe(first.id);

    await api.db
      .updateTable('idempotencyKeys')
      .set({ expiresAt: sql<Date>`now() - interval '1 second'` })
      .where('userId', '=', client.user.id)
      .execute();
    expect(await deleteExpiredIdempotencyKeys(api.db)).toBeGreaterThanOrEqual(1);
    const left = await api.db.selectFrom('idempotencyKeys').where('userId', '=', client.user.id).execute();
    expect(left).toEqual([]);
  });
});

describe('messages.create with an idempotency key', () => {
  it('given a posted reply, when it is retried, then one message, one event and one notification exist', async () => {
    const { client, support, workspace } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const caller = api.as(support.token);
    const input = { ticketId: ticket.id, body: 'Restart the router.', idempotencyKey: newKey() };

    const results = await Promise.all([caller.messages.create(input), caller.messages.create(input)]);
    const retry = await caller.messages.create(input);

    expect(results[1]).toEqual(results[0]);
    expect(retry).toEqual(results[0]);
    expect(await messagesOf(ticket.id)).toHaveLength(1);
    expect((await probe.events(ticket.id)).map((e) => e.action)).toEqual(['message.created']);
    expect((await probe.notifications(ticket.id)).map((n) => n.userId)).toEqual([client.user.id]);
  });

  it('given a first attempt that failed, when it is retried with the same key, then it runs again (failures are not remembered)', async () => {
    const { client, admin, workspace } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: workspace.id,
      createdBy: client.user.id,
      status: 'closed',
      resolvedAt: new Date(),
    });
    const requester = api.as(client.token);
    const input = { ticketId: ticket.id, body: 'Still broken.', idempotencyKey: newKey() };
    expect((await rejection(requester.messages.create(input))).data.appCode).toBe('TICKET_CLOSED');
    await api.as(admin.token).tickets.reopen({ id: ticket.id });

    const message = await requester.messages.create(input);

    expect((await messagesOf(ticket.id)).map((m) => m.id)).toEqual([message.id]);
  });
});

describe('uploads with an idempotency key', () => {
  const upload = (
    actor: Parameters<typeof uploadAttachment>[1],
    ticketId: string,
    text: string,
    key: string,
  ) =>
    uploadAttachment(
      { db: api.db, storage: api.services.storage, maxUploadBytes: api.services.maxUploadBytes },
      actor,
      { ticketId, internal: false },
      { filename: 'trace.log', declaredType: 'text/plain', content: Readable.from([Buffer.from(text)]) },
      key,
    );

  it('given an upload, when it is retried with its key, then the first attachment is answered and its bytes are stored once', async () => {
    const { client, admin, workspace } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const key = newKey();
    const filesBefore = await storedFileCount();

    const first = await upload(admin.actor, ticket.id, 'stack trace', key);
    const retry = await upload(admin.actor, ticket.id, 'stack trace', key);

    expect(retry).toEqual(first);
    expect(await storedFileCount()).toBe(filesBefore + 1);
    const rows = await api.db
      .selectFrom('attachments')
      .selectAll()
      .where('ticketId', '=', ticket.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect((await probe.events(ticket.id)).map((e) => e.action)).toEqual(['attachment.created']);
    expect(await probe.notifications(ticket.id)).toHaveLength(1);
  });

  it('given an upload, when the key comes back with other bytes, then IDEMPOTENCY_KEY_REUSED and the new bytes are not kept', async () => {
    const { client, admin, workspace } = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const key = newKey();
    await upload(admin.actor, ticket.id, 'first file', key);
    const filesBefore = await storedFileCount();

    await expect(upload(admin.actor, ticket.id, 'second file', key)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });

    expect(await storedFileCount()).toBe(filesBefore);
  });
});
