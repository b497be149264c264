import { randomUUID } from 'node:crypto';
import { encodeCursor } from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../testing/harness';
import { errorShapeOf, rejection } from '../testing/rejection';

// Regression tests for what an outside attack found (docs/SECURITY.md, "Findings of the outside
// attack"), at the procedure level. The HTTP-level ones live in apps/server/src/security/.

const api = await createTestApi();
afterAll(() => api.close());

let cast: Awaited<ReturnType<typeof createWorkspaceWithCast>>;
let ticketId: string;
beforeAll(async () => {
  cast = await createWorkspaceWithCast(api.db);
  ticketId = (await createTicket(api.db, { workspaceId: cast.workspace.id, createdBy: cast.client.user.id }))
    .id;
});

describe('finding 4: a forged cursor holding an instant PostgreSQL cannot store', () => {
  // JavaScript dates reach 271,821 BC; PostgreSQL's timestamps stop at 4713 BC (and 294276 AD).
  const unstorable = [
    '-271821-04-20T00:00:00.000Z',
    '-004714-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
  ];

  const lists: Array<[string, (cursor: string) => Promise<unknown>]> = [
    [
      'tickets.list by created',
      (cursor) => api.as(cast.admin.token).tickets.list({ cursor, sort: 'created' }),
    ],
    [
      'tickets.list by updated',
      (cursor) => api.as(cast.admin.token).tickets.list({ cursor, sort: 'updated' }),
    ],
    [
      'tickets.list by priority',
      (cursor) => api.as(cast.admin.token).tickets.list({ cursor, sort: 'priority' }),
    ],
    ['users.list', (cursor) => api.as(cast.admin.token).users.list({ cursor })],
    ['logs.list', (cursor) => api.as(cast.admin.token).logs.list({ cursor })],
    ['messages.list', (cursor) => api.as(cast.admin.token).messages.list({ ticketId, cursor })],
    ['attachments.list', (cursor) => api.as(cast.admin.token).attachments.list({ ticketId, cursor })],
  ];
  const keyFor = (name: string, at: string) =>
    name.endsWith('created')
      ? `c:${at}`
      : name.endsWith('updated')
        ? `u:${at}`
        : name.endsWith('priority')
          ? `p:2:${at}`
          : at;

  it.each(lists)(
    'given such a cursor, when %s is called, then INVALID_CURSOR (400), never a 500',
    async (name, list) => {
      for (const at of unstorable) {
        const error = errorShapeOf(await rejection(list(encodeCursor([keyFor(name, at), randomUUID()]))));
        expect(error.code).toBe('BAD_REQUEST');
        expect(error.data.appCode).toBe('INVALID_CURSOR');
      }
    },
  );
});

describe('finding 7: input no schema describes', () => {
  it('given a "__proto__", "constructor" or "prototype" key anywhere in the input, then a 400 names the key', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const input = JSON.parse(`{"title":"A title","description":"Text","${key}":{"role":"superadmin"}}`);
      const error = errorShapeOf(await rejection(api.as(cast.client.token).tickets.create(input)));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.data.issues).toEqual([{ path: key, message: expect.stringContaining('reserved') }]);
    }
  });

  it('given a title holding a lone surrogate, when a ticket is updated, then a 400 names the field and nothing changes', async () => {
    const ticket = await createTicket(api.db, {
      workspaceId: cast.workspace.id,
      createdBy: cast.client.user.id,
    });
    const error = errorShapeOf(
      await rejection(
        api.as(cast.admin.token).tickets.update({ id: ticket.id, title: 'lone \uD800 surrogate' }),
      ),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data.issues).toEqual([{ path: 'title', message: expect.stringContaining('Unicode') }]);
    const row = await api.db
      .selectFrom('tickets')
      .select(['title', 'version'])
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ title: ticket.title, version: ticket.version });
  });

  it("given input nested thousands of levels deep, then a 400 in our words, not the engine's", async () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 5_000; level += 1) deep = { deep };
    const error = errorShapeOf(await rejection(api.as(cast.admin.token).tickets.list(deep as never)));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/nested too deeply/);
    expect(error.message).not.toMatch(/call stack/i);
  });
});
