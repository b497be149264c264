import { sql } from 'kysely';
import { mayReceiveTicketNews } from '../policy/tickets';
import type { Executor } from '../shared/transaction';
import { NOTIFY_CHANNEL, notifyPayloadSql } from './notify-payload';

export const notificationTypes = [
  'ticket.assigned',
  'ticket.escalated',
  'ticket.closed',
  'ticket.reopened',
  'message.created',
  'attachment.created',
  'sla.warning',
  'sla.breached',
  'webhook.disabled',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export interface NotificationInput {
  workspaceId: string;
  type: NotificationType;
  /** Null for workspace events (a webhook endpoint disabled). */
  ticketId: string | null;
  /** Null when the system acts (service-level warnings and breaches). */
  actorId: string | null;
  /** The server acted, not the actor: keep them among the recipients (e.g. the admin who made a webhook). */
  notifyActor?: boolean;
  /**
   * Candidates; the actor, nulls and repeats are dropped here so no rule has to remember it, and so
   * is anyone who may not see the news now (mayReceiveTicketNews).
   */
  recipientIds: ReadonlyArray<string | null | undefined>;
  /** About an internal note or attachment: staff only. */
  internal?: boolean;
  data: Record<string, unknown>;
}

/**
 * Writes the notification rows of one action on the caller's executor, so they commit with the action,
 * together with their e-mail outbox rows (for recipients who did not switch that e-mail off) and one
 * NOTIFY carrying the new ids, which Postgres delivers to every server instance only once the action
 * commits. One statement (data-modifying CTEs): every round trip saved shortens the transaction that
 * holds the ticket's row lock. Returns the ids written, in the order the candidates were given.
 */
export async function createNotifications(executor: Executor, input: NotificationInput): Promise<string[]> {
  const recipients = [...new Set(input.recipientIds)].filter(
    (id): id is string => typeof id === 'string' && (input.notifyActor === true || id !== input.actorId),
  );
  if (recipients.length === 0) return [];
  const data = JSON.stringify(input.data);
  const internal = input.internal ?? false;
  const written = executor
    .insertInto('notifications')
    .columns(['workspaceId', 'userId', 'type', 'ticketId', 'actorId', 'data', 'internal'])
    .expression((eb) =>
      eb
        .selectFrom('users')
        .select([
          sql<string>`${input.workspaceId}::uuid`.as('workspaceId'),
          'users.id',
          sql<string>`${input.type}::text`.as('type'),
          sql<string>`${input.ticketId}::uuid`.as('ticketId'),
          sql<string>`${input.actorId}::uuid`.as('actorId'),
          sql<string>`${data}::jsonb`.as('data'),
          sql<boolean>`${internal}::boolean`.as('internal'),
        ])
        .where('users.id', 'in', recipients)
        .where((user) =>
          mayReceiveTicketNews(user, { workspaceId: input.workspaceId, ticketId: input.ticketId, internal }),
        )
        // Rows (and their sequence numbers) in the order the candidates were given.
        .orderBy(sql`array_position(${recipients}::uuid[], users.id)`),
    )
    .returning(['id', 'seq', 'userId', 'type']);
  // No stored preference means on: only an explicit "off" for this type holds the e-mail back.
  const { rows } = await sql<{ ids: string[] }>`
    with written as (${written}),
    mailed as (
      insert into notification_outbox (notification_id, channel)
      select written.id, 'email' from written
      join users on users.id = written.user_id and users.is_active
      where not exists (
        select 1 from notification_preferences preference
        where preference.user_id = written.user_id and preference.type = written.type
          and preference.channel = 'email' and not preference.enabled)
    )
    select json_agg(written.id order by written.seq) as ids,
      pg_notify(${NOTIFY_CHANNEL}, ${notifyPayloadSql}) as notified
    from written
    having count(*) > 0`.execute(executor);
  return rows[0]?.ids ?? [];
}
