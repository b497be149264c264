import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { type Actor, type AppError, uploadAttachment } from '@tickets/core';
import { createTicket, createUser, createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { rejection } from '../../testing/rejection';

const api = await createTestApi();
afterAll(() => api.close());

/** A client's ticket with one public and one internal attachment (uploaded through the domain). */
async function givenTicketWithAttachments() {
  const cast = await createWorkspaceWithCast(api.db);
  const ticket = await createTicket(api.db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
  });
  const upload = (actor: Actor, internal: boolean, name: string) =>
    uploadAttachment(
      api.services,
      actor,
      { ticketId: ticket.id, internal },
      {
        filename: name,
        declaredType: 'text/plain',
        content: Readable.from([Buffer.from(`contents of ${name}`)]),
      },
    );
  const shared = await upload(cast.client.actor, false, 'screenshot.txt');
  const internal = await upload(cast.support.actor, true, 'staff-notes.txt');
  return { ...cast, ticket, shared, internal };
}

describe('attachments.list', () => {
  it('given staff, then they see every attachment of the ticket, oldest first, as metadata only', async () => {
    const { support, ticket, shared, internal } = await givenTicketWithAttachments();
    const page = await api.as(support.token).attachments.list({ ticketId: ticket.id });
    expect(page).toEqual({ items: [shared, internal], nextCursor: null });
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual(
      [
        'contentType',
        'createdAt',
        'filename',
        'id',
        'internal',
        'messageId',
        'sha256',
        'size',
        'ticketId',
        'uploadedBy',
      ].sort(),
    );
  });

  it('given the requester of the ticket, then they never see internal attachments', async () => {
    const { client, ticket, shared } = await givenTicketWithAttachments();
    expect(await api.as(client.token).attachments.list({ ticketId: ticket.id })).toEqual({
      items: [shared],
      nextCursor: null,
    });
  });

  it("given another requester's ticket, then it answers NOT_FOUND like a missing ticket", async () => {
    const { workspace, ticket } = await givenTicketWithAttachments();
    const stranger = await createUser(api.db, { role: 'writer', workspaceId: workspace.id });
    const hidden = await rejection(api.as(stranger.token).attachments.list({ ticketId: ticket.id }));
    const missing = await rejection(api.as(stranger.token).attachments.list({ ticketId: randomUUID() }));
    expect(hidden.code).toBe('NOT_FOUND');
    expect([hidden.message, (hidden.cause as AppError).code]).toEqual([
      missing.message,
      (missing.cause as AppError).code,
    ]);
  });

  it('given more attachments than the limit, then keyset pages cover them all exactly once', async () => {
    const { support, ticket, shared, internal } = await givenTicketWithAttachments();
    const more = [];
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      more.push(
        await uploadAttachment(
          api.services,
          support.actor,
          { ticketId: ticket.id, internal: false },
          {
            filename: name,
            declaredType: 'text/plain',
            content: Readable.from([Buffer.from(name)]),
          },
        ),
      );
    }
    const seen = [];
    let cursor: string | undefined;
    do {
      const page = await api.as(support.token).attachments.list({ ticketId: ticket.id, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const all = await api.as(support.token).attachments.list({ ticketId: ticket.id, limit: 100 });
    expect(seen).toEqual(all.items);
    expect(seen.map((item) => item.id).sort()).toEqual(
      [shared, internal, ...more].map((item) => item.id).sort(),
    );
  });

  it('given a cursor it did not produce, then it answers BAD_REQUEST with INVALID_CURSOR', async () => {
    const { support, ticket } = await givenTicketWithAttachments();
    const error = await rejection(
      api.as(support.token).attachments.list({ ticketId: ticket.id, cursor: 'not-a-cursor' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect((error.cause as AppError).code).toBe('INVALID_CURSOR');
  });
});

describe('attachments.get', () => {
  it('given staff, then they get any attachment of their workspace, internal ones included', async () => {
    const { admin, internal } = await givenTicketWithAttachments();
    expect(await api.as(admin.token).attachments.get({ id: internal.id })).toEqual(internal);
  });

  it('given the requester, then they get a shared attachment but an internal one answers like a missing one', async () => {
    const { client, shared, internal } = await givenTicketWithAttachments();
    expect(await api.as(client.token).attachments.get({ id: shared.id })).toEqual(shared);
    const hidden = await rejection(api.as(client.token).attachments.get({ id: internal.id }));
    const missing = await rejection(api.as(client.token).attachments.get({ id: randomUUID() }));
    expect(hidden.code).toBe('NOT_FOUND');
    expect((hidden.cause as AppError).code).toBe('ATTACHMENT_NOT_FOUND');
    expect(hidden.message).toBe(missing.message);
  });

  it("given staff of another workspace, then another workspace's attachment answers NOT_FOUND", async () => {
    const { shared } = await givenTicketWithAttachments();
    const elsewhere = await createWorkspaceWithCast(api.db);
    const error = await rejection(api.as(elsewhere.admin.token).attachments.get({ id: shared.id }));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('given a superadmin, then they get an attachment of any workspace', async () => {
    const { superadmin, internal } = await givenTicketWithAttachments();
    expect(await api.as(superadmin.token).attachments.get({ id: internal.id })).toEqual(internal);
  });
});
