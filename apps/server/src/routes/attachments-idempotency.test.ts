import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppServices } from '@tickets/api';
import { createLocalDiskStorage, createNotificationHub } from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { errorFields } from '../testing/error-body';

// The upload route's `Idempotency-Key` header (the HTTP convention; tRPC creations take the same key as
// an `idempotencyKey` input field). The domain behaviour is specified in packages/api/src/reliability.

const database = await openTestDatabase();
const storageDir = await mkdtemp(join(tmpdir(), 'tickets-idempotent-upload-'));
const notificationHub = createNotificationHub({ db: database.db });
const services: AppServices = {
  db: database.db,
  production: true,
  secureCookies: false,
  isDatabaseReady: () => database.isReady(),
  storage: createLocalDiskStorage(storageDir),
  maxUploadBytes: 1024 * 1024,
  notificationHub,
};
const app = createApp({ services });
afterAll(async () => {
  notificationHub.close();
  await database.close();
  await rm(storageDir, { recursive: true, force: true });
});

function post(token: string, ticketId: string, text: string, idempotencyKey?: string) {
  const form = new FormData();
  form.append('ticketId', ticketId);
  form.append('file', new Blob([text], { type: 'text/plain' }), 'notes.txt');
  return app.request('/api/attachments', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: form,
  });
}

async function storedFiles() {
  const entries = await readdir(storageDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).length;
}

describe('POST /api/attachments with an Idempotency-Key header', () => {
  it('given an upload, when it is retried with the same key, then 201 with the same attachment and one copy kept', async () => {
    const { client, workspace } = await createWorkspaceWithCast(database.db);
    const ticket = await createTicket(database.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const key = randomUUID();

    const first = await post(client.token, ticket.id, 'hello', key);
    const retry = await post(client.token, ticket.id, 'hello', key);

    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(await retry.json()).toEqual(await first.json());
    expect(await storedFiles()).toBe(1);
  });

  it('given a used key, when other bytes come with it, then 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const { client, workspace } = await createWorkspaceWithCast(database.db);
    const ticket = await createTicket(database.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const key = randomUUID();
    await post(client.token, ticket.id, 'one', key);

    const response = await post(client.token, ticket.id, 'two', key);

    expect(response.status).toBe(409);
    expect(errorFields(await response.json()).appCode).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('when the header is malformed, then 400 naming Idempotency-Key and nothing stored', async () => {
    const { client, workspace } = await createWorkspaceWithCast(database.db);
    const ticket = await createTicket(database.db, { workspaceId: workspace.id, createdBy: client.user.id });
    const before = await storedFiles();

    const response = await post(client.token, ticket.id, 'bytes', 'short');

    expect(response.status).toBe(400);
    expect(errorFields(await response.json()).issues).toMatchObject([{ path: 'Idempotency-Key' }]);
    expect(await storedFiles()).toBe(before);
  });
});
