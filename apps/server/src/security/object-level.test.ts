import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppServices } from '@tickets/api';
import { createLocalDiskStorage, createNotificationHub, DEFAULT_MAX_UPLOAD_BYTES } from '@tickets/core';
import { createTicket, createUser, createWorkspace, type TestUser } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';

// No existence oracle (CONTRACT.md §1): for every input that names an object by id, over tRPC and the plain
// HTTP routes, an object the caller may not see answers exactly what a missing id answers — same status,
// same JSON byte for byte apart from the request id.

const database = await openTestDatabase();
const db = database.db;
const storageDir = await mkdtemp(join(tmpdir(), 'tickets-object-level-'));
const notificationHub = createNotificationHub({ db });
const services: AppServices = {
  db,
  production: true,
  secureCookies: false,
  isDatabaseReady: () => database.isReady(),
  storage: createLocalDiskStorage(storageDir),
  maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
  notificationHub,
};
afterAll(async () => {
  notificationHub.close();
  await database.close();
  await rm(storageDir, { recursive: true, force: true });
});
const app = createApp({ services });

async function attachmentOn(workspaceId: string, ticketId: string, uploadedBy: string) {
  const row = await db
    .insertInto('attachments')
    .values({
      workspaceId,
      ticketId,
      uploadedBy,
      filename: 'notes.txt',
      contentType: 'text/plain',
      size: 5,
      sha256: '0'.repeat(64),
      storageKey: randomUUID(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function messageOn(workspaceId: string, ticketId: string, authorId: string) {
  const row = await db
    .insertInto('messages')
    .values({ workspaceId, ticketId, authorId, body: 'Hello', internal: false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const home = await createWorkspace(db);
const other = await createWorkspace(db);
const [admin, requester, victim, otherClient] = await Promise.all([
  createUser(db, { role: 'admin', workspaceId: home.id }),
  createUser(db, { role: 'client', workspaceId: home.id }),
  createUser(db, { role: 'client', workspaceId: home.id }),
  createUser(db, { role: 'client', workspaceId: other.id }),
]);
const ownTicket = await createTicket(db, { workspaceId: home.id, createdBy: requester.user.id });

/** Objects a caller may not see: another requester's (same workspace) and another workspace's. */
interface Hidden {
  ticketId: string;
  attachmentId: string;
  messageId: string;
  userId: string;
}
async function hiddenFrom(owner: TestUser, workspaceId: string): Promise<Hidden> {
  const ticket = await createTicket(db, { workspaceId, createdBy: owner.user.id });
  return {
    ticketId: ticket.id,
    attachmentId: await attachmentOn(workspaceId, ticket.id, owner.user.id),
    messageId: await messageOn(workspaceId, ticket.id, owner.user.id),
    userId: owner.user.id,
  };
}
const anotherRequesters = await hiddenFrom(victim, home.id);
const anotherWorkspaces = await hiddenFrom(otherClient, other.id);
const missing = (): Hidden => {
  const id = randomUUID();
  return { ticketId: id, attachmentId: id, messageId: id, userId: id };
};

type Kind = 'query' | 'mutation';
async function trpc(token: string, path: string, kind: Kind, input: unknown) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const json = encodeURIComponent(JSON.stringify({ json: input }));
  return kind === 'query'
    ? app.request(`/trpc/${path}?input=${json}`, { headers })
    : app.request(`/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify({ json: input }) });
}

function upload(token: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob(['hello']), 'hello.txt');
  return app.request('/api/attachments', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

/** The answer with its request id removed (the only part allowed to differ). */
async function answer(response: Response) {
  const text = await response.text();
  return { status: response.status, body: text.replace(/"requestId":"[^"]*"/g, '"requestId":"…"') };
}

interface Case {
  name: string;
  send: (token: string, target: Hidden) => Response | Promise<Response>;
}
const q =
  (path: string, input: (target: Hidden) => unknown): Case['send'] =>
  (token, target) =>
    trpc(token, path, 'query', input(target));
const m =
  (path: string, input: (target: Hidden) => unknown): Case['send'] =>
  (token, target) =>
    trpc(token, path, 'mutation', input(target));

const everyone: Case[] = [
  { name: 'tickets.get', send: q('tickets.get', (t) => ({ id: t.ticketId })) },
  { name: 'tickets.update', send: m('tickets.update', (t) => ({ id: t.ticketId, title: 'Mine now' })) },
  { name: 'tickets.reopen', send: m('tickets.reopen', (t) => ({ id: t.ticketId })) },
  { name: 'messages.list', send: q('messages.list', (t) => ({ ticketId: t.ticketId })) },
  { name: 'messages.create', send: m('messages.create', (t) => ({ ticketId: t.ticketId, body: 'Hi' })) },
  { name: 'attachments.list', send: q('attachments.list', (t) => ({ ticketId: t.ticketId })) },
  { name: 'attachments.get', send: q('attachments.get', (t) => ({ id: t.attachmentId })) },
  { name: 'logs.list', send: q('logs.list', (t) => ({ ticketId: t.ticketId })) },
  {
    name: 'GET /api/attachments/:id',
    send: (token, t) =>
      app.request(`/api/attachments/${t.attachmentId}`, { headers: { authorization: `Bearer ${token}` } }),
  },
  { name: 'POST /api/attachments (ticketId)', send: (token, t) => upload(token, { ticketId: t.ticketId }) },
];
const staffOnly: Case[] = [
  {
    name: 'tickets.assign',
    send: m('tickets.assign', (t) => ({ id: t.ticketId, assigneeId: admin.user.id })),
  },
  { name: 'tickets.escalate', send: m('tickets.escalate', (t) => ({ id: t.ticketId })) },
  { name: 'tickets.close', send: m('tickets.close', (t) => ({ id: t.ticketId })) },
  { name: 'users.update', send: m('users.update', (t) => ({ id: t.userId, name: 'Renamed' })) },
];

describe('a hidden object answers exactly like a missing one', () => {
  it.each(everyone)(
    'requester, $name: another requester’s object and another workspace’s',
    async ({ send }) => {
      const expected = await answer(await send(requester.token, missing()));
      expect(expected.status).toBe(404);
      expect(await answer(await send(requester.token, anotherRequesters))).toEqual(expected);
      expect(await answer(await send(requester.token, anotherWorkspaces))).toEqual(expected);
    },
  );

  it.each([...everyone, ...staffOnly])('admin, $name: another workspace’s object', async ({ send }) => {
    const expected = await answer(await send(admin.token, missing()));
    expect(expected.status).toBe(404);
    expect(await answer(await send(admin.token, anotherWorkspaces))).toEqual(expected);
  });

  it('requester, POST /api/attachments on their own ticket naming another ticket’s message', async () => {
    const send = (messageId: string) => upload(requester.token, { ticketId: ownTicket.id, messageId });
    const expected = await answer(await send(randomUUID()));
    expect(expected.status).toBe(404);
    expect(await answer(await send(anotherRequesters.messageId))).toEqual(expected);
    expect(await answer(await send(anotherWorkspaces.messageId))).toEqual(expected);
  });

  it('notifications.markRead: another user’s notification answers like a missing one and stays unread', async () => {
    const notification = await db
      .insertInto('notifications')
      .values({
        workspaceId: home.id,
        userId: victim.user.id,
        type: 'ticket.closed',
        ticketId: anotherRequesters.ticketId,
        actorId: admin.user.id,
        data: JSON.stringify({}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const send = (id: string) => trpc(requester.token, 'notifications.markRead', 'mutation', { ids: [id] });
    const expected = await answer(await send(randomUUID()));
    expect(await answer(await send(notification.id))).toEqual(expected);
    const row = await db
      .selectFrom('notifications')
      .select('readAt')
      .where('id', '=', notification.id)
      .executeTakeFirstOrThrow();
    expect(row.readAt).toBeNull();
  });
});

type Caller = 'anonymous' | 'superadmin' | 'admin' | 'support' | 'writer' | 'client';
type Variant = 'own' | 'otherRequester' | 'otherWorkspace';

describe('the attachment HTTP routes × every role × whose ticket', () => {
  const callers: Caller[] = ['anonymous', 'superadmin', 'admin', 'support', 'writer', 'client'];
  const variants: Variant[] = ['own', 'otherRequester', 'otherWorkspace'];
  const cases = callers.flatMap((caller) => variants.map((variant) => ({ caller, variant })));

  /** CONTRACT.md §4: staff of the ticket's workspace (a superadmin: any), or the requester who opened it. */
  function expected(caller: Caller, variant: Variant, ok: number): number {
    if (caller === 'anonymous') return 401;
    if (caller === 'superadmin') return ok;
    if (variant === 'otherWorkspace') return 404;
    if (caller === 'admin' || caller === 'support') return ok;
    return variant === 'own' ? ok : 404;
  }

  async function scenario(caller: Caller, variant: Variant) {
    const users = {
      superadmin: await createUser(db, { role: 'superadmin', workspaceId: null }),
      admin: await createUser(db, { role: 'admin', workspaceId: home.id }),
      support: await createUser(db, { role: 'support', workspaceId: home.id }),
      writer: await createUser(db, { role: 'writer', workspaceId: home.id }),
      client: await createUser(db, { role: 'client', workspaceId: home.id }),
    };
    const owner =
      variant === 'otherWorkspace'
        ? otherClient
        : variant === 'own' && (caller === 'writer' || caller === 'client')
          ? users[caller]
          : victim;
    const workspaceId = variant === 'otherWorkspace' ? other.id : home.id;
    const ticket = await createTicket(db, { workspaceId, createdBy: owner.user.id });
    const token = caller === 'anonymous' ? undefined : users[caller].token;
    return {
      owner,
      ticket,
      headers: token ? { authorization: `Bearer ${token}` } : ({} as Record<string, string>),
    };
  }

  it.each(cases)('POST /api/attachments: $caller on $variant', async ({ caller, variant }) => {
    const { ticket, headers } = await scenario(caller, variant);
    const form = new FormData();
    form.append('ticketId', ticket.id);
    form.append('file', new Blob(['hello']), 'hello.txt');
    const response = await app.request('/api/attachments', { method: 'POST', headers, body: form });
    expect(response.status).toBe(expected(caller, variant, 201));
  });

  it.each(cases)('GET /api/attachments/:id: $caller on $variant', async ({ caller, variant }) => {
    const { owner, ticket, headers } = await scenario(caller, variant);
    const form = new FormData();
    form.append('ticketId', ticket.id);
    form.append('file', new Blob(['hello']), 'hello.txt');
    const uploaded = await app.request('/api/attachments', {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const { id } = (await uploaded.json()) as { id: string };
    const response = await app.request(`/api/attachments/${id}`, { headers });
    expect(response.status).toBe(expected(caller, variant, 200));
    if (response.status === 200) expect(await response.text()).toBe('hello');
  });
});
