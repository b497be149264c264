import { randomUUID } from 'node:crypto';
import {
  createNotificationHub,
  createNotifications,
  type NotificationType,
  notificationTypes,
} from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { appCodeOf, rejection } from '../../testing/rejection';

// A hub of its own (own pool) rather than the harness default, so the live tests can feed it.
const hubDatabase = await openTestDatabase();
const hub = createNotificationHub({ db: hubDatabase.db });
const api = await createTestApi({ notificationHub: hub });
afterAll(async () => {
  await api.close();
  await hubDatabase.close();
});

/** A workspace, its cast, a client's ticket, and a way to notify anyone about it. */
async function givenTicket() {
  const cast = await createWorkspaceWithCast(api.db);
  const ticket = await createTicket(api.db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
  });
  const notify = async (
    recipientIds: string[],
    type: NotificationType = 'message.created',
    actorId = cast.admin.user.id,
  ) =>
    createNotifications(api.db, {
      workspaceId: cast.workspace.id,
      type,
      ticketId: ticket.id,
      actorId,
      recipientIds,
      data: { note: randomUUID() },
    });
  return { ...cast, ticket, notify };
}

const readAtOf = async (ids: string[]) =>
  (await api.db.selectFrom('notifications').select(['id', 'readAt']).where('id', 'in', ids).execute()).map(
    (row) => row.readAt,
  );

describe('notifications.list', () => {
  it('given notifications for several users, when one lists, then only theirs come, newest first', async () => {
    const { client, support, notify } = await givenTicket();
    const [first] = await notify([client.user.id]);
    await notify([support.user.id]);
    const [second] = await notify([client.user.id, support.user.id]);

    const page = await api.as(client.token).notifications.list({});

    expect(page.items.map((item) => item.id)).toEqual([second, first]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toEqual({
      id: second,
      userId: client.user.id,
      type: 'message.created',
      ticketId: expect.any(String),
      actorId: expect.any(String),
      data: { note: expect.any(String) },
      readAt: null,
      createdAt: expect.any(Date),
    });
  });

  it('given more notifications than a page, when walking by cursor, then each comes once, in order', async () => {
    const { client, notify } = await givenTicket();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(...(await notify([client.user.id])));

    const caller = api.as(client.token);
    const first = await caller.notifications.list({ limit: 2 });
    const second = await caller.notifications.list({ limit: 2, cursor: first.nextCursor ?? undefined });
    const third = await caller.notifications.list({ limit: 2, cursor: second.nextCursor ?? undefined });

    expect([...first.items, ...second.items, ...third.items].map((item) => item.id)).toEqual(ids.reverse());
    expect(third.nextCursor).toBeNull();
  });

  it('given read and unread notifications, when listing unreadOnly, then only unread ones come', async () => {
    const { client, notify } = await givenTicket();
    const [read] = await notify([client.user.id]);
    const [unread] = await notify([client.user.id]);
    await api.as(client.token).notifications.markRead({ ids: [read!] });

    const page = await api.as(client.token).notifications.list({ unreadOnly: true });

    expect(page.items.map((item) => item.id)).toEqual([unread]);
  });

  it('given a superadmin acting on a ticket of a workspace, then they have notifications too', async () => {
    const { superadmin, notify } = await givenTicket();
    const [id] = await notify([superadmin.user.id]);

    const page = await api.as(superadmin.token).notifications.list({});

    expect(page.items.map((item) => item.id)).toEqual([id]);
  });

  it('given a forged cursor or a smuggled field, then BAD_REQUEST names it', async () => {
    const { client } = await givenTicket();
    const forged = await rejection(api.as(client.token).notifications.list({ cursor: 'bm90LWEtY3Vyc29y' }));
    expect(forged.code).toBe('BAD_REQUEST');
    expect(appCodeOf(forged)).toBe('INVALID_CURSOR');

    const smuggled = await rejection(
      api.as(client.token).notifications.list({ userId: randomUUID() } as unknown as { limit: number }),
    );
    expect(smuggled.code).toBe('BAD_REQUEST');
    expect(appCodeOf(smuggled)).toBe('VALIDATION_FAILED');
  });
});

describe('notifications.unreadCount', () => {
  it('counts only the caller’s unread notifications', async () => {
    const { client, support, notify } = await givenTicket();
    const [read] = await notify([client.user.id]);
    await notify([client.user.id, support.user.id]);
    await notify([support.user.id]);
    await api.as(client.token).notifications.markRead({ ids: [read!] });

    expect(await api.as(client.token).notifications.unreadCount()).toEqual({ count: 1 });
    expect(await api.as(support.token).notifications.unreadCount()).toEqual({ count: 2 });
  });
});

describe('notifications.markRead', () => {
  it('marks the caller’s notifications and answers how many changed; again, it changes nothing', async () => {
    const { client, notify } = await givenTicket();
    const ids = [...(await notify([client.user.id])), ...(await notify([client.user.id]))];

    expect(await api.as(client.token).notifications.markRead({ ids })).toEqual({ updated: 2 });
    const readAt = await readAtOf(ids);
    expect(readAt.every((value) => value instanceof Date)).toBe(true);

    expect(await api.as(client.token).notifications.markRead({ ids })).toEqual({ updated: 0 });
    expect(await readAtOf(ids)).toEqual(readAt);
  });

  it('given another user’s notification id, then it is ignored: nothing changes, nothing is revealed', async () => {
    const { client, support, notify } = await givenTicket();
    const [theirs] = await notify([support.user.id]);
    const [mine] = await notify([client.user.id]);

    const result = await api.as(client.token).notifications.markRead({ ids: [theirs!, mine!, randomUUID()] });

    expect(result).toEqual({ updated: 1 });
    expect(await readAtOf([theirs!])).toEqual([null]);
  });

  it('given no ids, too many ids or a non-uuid, then BAD_REQUEST and nothing changes', async () => {
    const { client, notify } = await givenTicket();
    const [mine] = await notify([client.user.id]);
    const caller = api.as(client.token).notifications;
    for (const ids of [[], Array.from({ length: 101 }, () => randomUUID()), ['not-a-uuid']]) {
      const error = await rejection(caller.markRead({ ids }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(appCodeOf(error)).toBe('VALIDATION_FAILED');
    }
    expect(await readAtOf([mine!])).toEqual([null]);
  });
});

describe('notifications.markAllRead', () => {
  it('marks every unread notification of the caller, and only theirs', async () => {
    const { client, support, notify } = await givenTicket();
    await notify([client.user.id]);
    await notify([client.user.id, support.user.id]);

    expect(await api.as(client.token).notifications.markAllRead()).toEqual({ updated: 2 });
    expect(await api.as(client.token).notifications.unreadCount()).toEqual({ count: 0 });
    expect(await api.as(support.token).notifications.unreadCount()).toEqual({ count: 1 });
    expect(await api.as(client.token).notifications.markAllRead()).toEqual({ updated: 0 });
  });
});

describe('notifications preferences', () => {
  it('given nothing stored, then every e-mail is on; switching one off keeps the others', async () => {
    const { client } = await givenTicket();
    const caller = api.as(client.token).notifications;

    const defaults = await caller.getPreferences();
    expect(Object.values(defaults.email).every(Boolean)).toBe(true);
    expect(Object.keys(defaults.email)).toHaveLength(notificationTypes.length);

    const updated = await caller.updatePreferences({ email: { 'message.created': false } });
    expect(updated.email['message.created']).toBe(false);
    expect(updated.email['ticket.closed']).toBe(true);
    expect(await caller.getPreferences()).toEqual(updated);

    const again = await caller.updatePreferences({ email: { 'message.created': true } });
    expect(again).toEqual(defaults);
  });

  it('given an unknown event type or channel, then BAD_REQUEST and nothing is stored', async () => {
    const { client } = await givenTicket();
    const caller = api.as(client.token).notifications;
    const badType = await rejection(
      caller.updatePreferences({ email: { 'ticket.deleted': false } } as unknown as { email: object }),
    );
    const badChannel = await rejection(
      caller.updatePreferences({ email: {}, sms: { 'ticket.closed': false } } as unknown as {
        email: object;
      }),
    );
    for (const error of [badType, badChannel]) {
      expect(error.code).toBe('BAD_REQUEST');
      expect(appCodeOf(error)).toBe('VALIDATION_FAILED');
    }
    const stored = await api.db
      .selectFrom('notificationPreferences')
      .selectAll()
      .where('userId', '=', client.user.id)
      .execute();
    expect(stored).toEqual([]);
  });
});

describe('notifications.onNotification', () => {
  /** Reads `count` events from a subscription (tracked tuples: [event id, notification]), then leaves it. */
  async function take(iterable: AsyncIterable<unknown>, count: number) {
    const events: Array<[string, { id: string }]> = [];
    for await (const event of iterable) {
      events.push(event as [string, { id: string }]);
      if (events.length === count) break;
    }
    return events;
  }

  it('given a last event id, then the caller’s later notifications are replayed in order, nobody else’s', async () => {
    const { client, support, notify } = await givenTicket();
    const [before] = await notify([client.user.id]);
    const [mine1] = await notify([client.user.id]);
    await notify([support.user.id]);
    const [mine2] = await notify([client.user.id]);

    const stream = await api.as(client.token).notifications.onNotification({ lastEventId: before! });
    const events = await take(stream, 2);

    expect(events.map(([, notification]) => notification.id)).toEqual([mine1, mine2]);
    // Event ids are the notifications' own ids: opaque, and nothing about anyone else's activity.
    expect(events.map(([eventId]) => eventId)).toEqual([mine1, mine2]);
  });

  it("given someone else's notification id as the last event id, then the stream starts live, replaying nothing", async () => {
    const { client, support, notify } = await givenTicket();
    const [theirs] = await notify([support.user.id]);
    await notify([client.user.id]);

    const stream = await api.as(client.token).notifications.onNotification({ lastEventId: theirs! });
    const received = take(stream, 1);
    await expect.poll(() => hub.size).toBeGreaterThan(0);
    const [live] = await notify([client.user.id]);
    await hub.ingest({ ids: [live!] });

    expect((await received).map(([eventId]) => eventId)).toEqual([live]);
  });

  it('given an open stream, when a notification commits and the hub hears of it, then it arrives once', async () => {
    const { client, support, notify } = await givenTicket();
    const stream = await api.as(client.token).notifications.onNotification({});
    const received = take(stream, 2);
    // The stream registers with the hub on its first read; give it that turn before committing.
    await expect.poll(() => hub.size).toBeGreaterThan(0);

    const [first] = await notify([client.user.id, support.user.id]);
    await hub.ingest({ ids: [first!] });
    await hub.ingest({ ids: [first!] });
    const [second] = await notify([client.user.id]);
    await hub.ingest({ ids: [second!] });

    expect((await received).map(([, notification]) => notification.id)).toEqual([first, second]);
    // Leaving the loop ended the stream: the hub holds nothing for it any more.
    expect(hub.size).toBe(0);
  });

  it('given a malformed last event id, then BAD_REQUEST', async () => {
    const { client } = await givenTicket();
    const error = await rejection(
      Promise.resolve(api.as(client.token).notifications.onNotification({ lastEventId: '12; drop table' })),
    );
    expect(error.code).toBe('BAD_REQUEST');
  });
});
