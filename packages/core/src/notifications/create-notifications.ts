import { sql } from 'kysely';
import { type Executor, inTransaction } from '../shared/transaction';
import { encodeNotifyPayload, NOTIFY_CHANNEL } from './notify-payload';

export const notificationTypes = [
  'ticket.assigned',
  'ticket.escalated',
  'ticket.closed',
  'ticket.reopened',
  'message.created',
  'attachment.created',
  'webhook.disabled',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export interface NotificationInput {
  workspaceId: string;
  type: NotificationType;
  /** Null for workspace events (a webhook endpoint disabled). */
  ticketId: string | null;
  actorId: string;
  /** The server acted, not the actor: keep them among the recipients (e.g. the admin who made a webhook). */
  notifyActor?: boolean;
  /** Candidates; the actor, nulls and repeats are dropped here so no rule has to remember it. */
  recipientIds: ReadonlyArray<string | null | undefined>;
  data: Record<string, unknown>;
}

/**
 * Writes the notification rows of one action on the caller's executor, so they commit with the action,
 * together with their e-mail outbox rows (for recipients who did not switch that e-mail off) and one
 * NOTIFY carrying the new ids, which Postgres delivers to every server instance only once the action
 * commits. Returns the ids written.
 */
export async function createNotifications(executor: Executor, input: NotificationInput): Promise<string[]> {
  const recipients = [...new Set(input.recipientIds)].filter(
    (id): id is string => typeof id === 'string' && (input.notifyActor === true || id !== input.actorId),
  );
  if (recipients.length === 0) return [];
  const data = JSON.stringify(input.data);
  return inTransaction(executor, async (tx) => {
    const rows = await tx
      .insertInto('notifications')
      .values(
        recipients.map((userId) => ({
          workspaceId: input.workspaceId,
          userId,
          type: input.type,
          ticketId: input.ticketId,
          actorId: input.actorId,
          data,
        })),
      )
      .returning(['id', 'seq'])
      .execute();
    const ids = rows.map((row) => row.id);
    await tx
      .insertInto('notificationOutbox')
      .columns(['notificationId', 'channel'])
      .expression((eb) =>
        eb
          .selectFrom('notifications')
          .innerJoin('users', 'users.id', 'notifications.userId')
          .select(['notifications.id', eb.val('email').as('channel')])
          .where('notifications.id', 'in', ids)
          .where('users.isActive', '=', true)
          // No stored preference means on: only an explicit "off" for this type holds the e-mail back.
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('notificationPreferences as preference')
                  .select(w.lit(1).as('one'))
                  .whereRef('preference.userId', '=', 'notifications.userId')
                  .whereRef('preference.type', '=', 'notifications.type')
                  .where('preference.channel', '=', 'email')
                  .where('preference.enabled', '=', false),
              ),
            ),
          ),
      )
      .execute();
    // One NOTIFY per action whatever the number of recipients: NOTIFY takes a global lock at commit.
    await sql`select pg_notify(${NOTIFY_CHANNEL}, ${encodeNotifyPayload(rows)})`.execute(tx);
    return ids;
  });
}
