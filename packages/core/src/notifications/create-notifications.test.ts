import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../shared/transaction';
import { createTicket, createUser, createWorkspaceWithCast } from '../testing/factories';
import { createNotifications } from './create-notifications';
import { updateNotificationPreferences } from './notifications';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

async function givenTicket() {
  const cast = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, { workspaceId: cast.workspace.id, createdBy: cast.client.user.id });
  return { ...cast, ticket };
}

const outboxOf = (notificationIds: string[]) =>
  notificationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('notificationOutbox')
        .innerJoin('notifications', 'notifications.id', 'notificationOutbox.notificationId')
        .select(['notifications.userId', 'notificationOutbox.channel'])
        .where('notificationOutbox.notificationId', 'in', notificationIds)
        .execute();

describe('createNotifications', () => {
  it('given recipients, then each gets a notification and an e-mail in the outbox; the actor gets neither', async () => {
    const { workspace, ticket, client, support, admin } = await givenTicket();

    const ids = await createNotifications(db, {
      workspaceId: workspace.id,
      type: 'message.created',
      ticketId: ticket.id,
      actorId: admin.user.id,
      recipientIds: [client.user.id, support.user.id, admin.user.id, null, client.user.id],
      data: {},
    });

    expect(ids).toHaveLength(2);
    const outbox = await outboxOf(ids);
    expect(outbox.map((row) => row.userId).sort()).toEqual([client.user.id, support.user.id].sort());
    expect(outbox.every((row) => row.channel === 'email')).toBe(true);
  });

  it('given a recipient who switched this e-mail off, then they get the notification but no e-mail', async () => {
    const { workspace, ticket, client, support, admin } = await givenTicket();
    await updateNotificationPreferences(db, client.actor, { email: { 'ticket.closed': false } });

    const ids = await createNotifications(db, {
      workspaceId: workspace.id,
      type: 'ticket.closed',
      ticketId: ticket.id,
      actorId: admin.user.id,
      recipientIds: [client.user.id, support.user.id],
      data: {},
    });

    expect(ids).toHaveLength(2);
    expect((await outboxOf(ids)).map((row) => row.userId)).toEqual([support.user.id]);
  });

  it('given a switch-off for another event type, then this e-mail is still queued', async () => {
    const { workspace, ticket, client, admin } = await givenTicket();
    await updateNotificationPreferences(db, client.actor, { email: { 'ticket.closed': false } });

    const ids = await createNotifications(db, {
      workspaceId: workspace.id,
      type: 'ticket.reopened',
      ticketId: ticket.id,
      actorId: admin.user.id,
      recipientIds: [client.user.id],
      data: {},
    });

    expect((await outboxOf(ids)).map((row) => row.userId)).toEqual([client.user.id]);
  });

  it('given a deactivated recipient, then nothing is written for them, in-app or by e-mail', async () => {
    const { workspace, ticket, admin } = await givenTicket();
    const inactive = await createUser(db, { role: 'support', workspaceId: workspace.id, isActive: false });

    const ids = await createNotifications(db, {
      workspaceId: workspace.id,
      type: 'ticket.assigned',
      ticketId: ticket.id,
      actorId: admin.user.id,
      recipientIds: [inactive.user.id],
      data: {},
    });

    expect(ids).toEqual([]);
  });

  it('given the action rolls back, then neither notifications nor e-mails remain', async () => {
    const { workspace, ticket, client, admin } = await givenTicket();
    let written: string[] = [];

    await expect(
      inTransaction(db, async (tx) => {
        written = await createNotifications(tx, {
          workspaceId: workspace.id,
          type: 'ticket.closed',
          ticketId: ticket.id,
          actorId: admin.user.id,
          recipientIds: [client.user.id],
          data: {},
        });
        throw new Error('the action failed after notifying');
      }),
    ).rejects.toThrow('the action failed');

    expect(written).toHaveLength(1);
    expect(await db.selectFrom('notifications').select('id').where('id', 'in', written).execute()).toEqual(
      [],
    );
    expect(await outboxOf(written)).toEqual([]);
  });

  it('given staff of another workspace and a requester who did not open the ticket as candidates, then neither is notified', async () => {
    const { ticket, admin, workspace, support } = await givenTicket();
    const elsewhere = await createWorkspaceWithCast(db);
    const otherRequester = await createUser(db, { role: 'client', workspaceId: workspace.id });

    const ids = await createNotifications(db, {
      workspaceId: workspace.id,
      type: 'ticket.assigned',
      ticketId: ticket.id,
      actorId: admin.user.id,
      recipientIds: [elsewhere.admin.user.id, otherRequester.user.id, support.user.id],
      data: {},
    });

    const recipients = await db.selectFrom('notifications').select('userId').where('id', 'in', ids).execute();
    expect(recipients).toEqual([{ userId: support.user.id }]);
  });

  it("given internal news, then the ticket's own requester is not notified even when named", async () => {
    const { ticket, admin, workspace, client, support } = await givenTicket();
    const ids = await createNotifications(db, {
      workspaceId: workspace.id,
      type: 'message.created',
      ticketId: ticket.id,
      actorId: admin.user.id,
      recipientIds: [client.user.id, support.user.id],
      internal: true,
      data: {},
    });
    const recipients = await db.selectFrom('notifications').select('userId').where('id', 'in', ids).execute();
    expect(recipients).toEqual([{ userId: support.user.id }]);
  });
});
