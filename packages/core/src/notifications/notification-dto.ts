import type { NotificationRow } from '@tickets/db';
import type { NotificationType } from './create-notifications';
import type { Notification } from './schemas';

/** Row → contract. Only createNotifications writes rows, with a type from the closed list. */
export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    userId: row.userId,
    type: row.type as NotificationType,
    ticketId: row.ticketId,
    actorId: row.actorId,
    data: row.data,
    readAt: row.readAt,
    createdAt: row.createdAt,
  };
}
