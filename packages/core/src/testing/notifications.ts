import type { NotificationRow } from '@tickets/db';
import { createNotifications } from '../notifications/create-notifications';
import type { NotificationHub } from '../notifications/notification-hub';
import type { Executor } from '../shared/transaction';
import { createTicket, createWorkspaceWithCast } from './factories';

/** A workspace with its cast and a ticket, and `notify`: one action's notifications about that ticket. */
export async function givenNotifiableTicket(db: Executor) {
  const cast = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, { workspaceId: cast.workspace.id, createdBy: cast.client.user.id });
  const notify = (recipientIds: string[]) =>
    createNotifications(db, {
      workspaceId: cast.workspace.id,
      type: 'message.created',
      ticketId: ticket.id,
      actorId: cast.admin.user.id,
      recipientIds,
      data: {},
    });
  return { ...cast, ticket, notify };
}

/** Everything a subscription yields, as it comes, until the returned stop is called. */
export function collectStream(hub: NotificationHub, userId: string, afterSeq: number | null = null) {
  const rows: NotificationRow[] = [];
  const controller = new AbortController();
  const done = (async () => {
    for await (const row of hub.subscribe(userId, {
      afterSeq,
      includeInternal: true,
      signal: controller.signal,
    }))
      rows.push(row);
  })();
  return {
    rows,
    ids: () => rows.map((row) => row.id),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}
