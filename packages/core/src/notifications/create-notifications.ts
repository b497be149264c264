import { type Expression, sql } from 'kysely';
import { mayReceiveTicketNews } from '../policy/tickets';
import type { Executor } from '../shared/transaction';
import { announceAfterCommit } from './announcements';
import { notifyPayloadSql } from './notify-payload';

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
 * together with their e-mail outbox rows (for recipients who did not switch that e-mail off); once the
 * action commits, a NOTIFY carrying the new ids tells every server instance (announcements.ts). One statement (data-modifying CTEs): every round trip saved shortens the transaction that
 * holds the ticket's row lock. Returns the ids written, in the order the candidates were given.
 */
export async function createNotifications(executor: Executor, input: NotificationInput): Promise<string[]> {
  // Filtered here too (the statement filters again) only to skip the round trip when nobody is left.
  const recipients = [...new Set(input.recipientIds)].filter(
    (id): id is string => typeof id === 'string' && (input.notifyActor === true || id !== input.actorId),
  );
  if (recipients.length === 0) return [];
  const written = notificationRows(executor, {
    ...input,
    workspaceId: sql<string>`${input.workspaceId}::uuid`,
    internal: input.internal ?? false,
    data: sql`${JSON.stringify(input.data)}::jsonb`,
    candidates: sql<string[]>`${recipients}::uuid[]`,
  });
  const { rows } = await sql<{ ids: string[]; announcement: string }>`
    with ${notificationCtes(written)}
    select json_agg(written.id order by written.seq) as ids, ${notifyPayloadSql} as announcement
    from written
    having count(*) > 0`.execute(executor);
  announceAfterCommit(executor, rows[0]?.announcement);
  return rows[0]?.ids ?? [];
}

/** The notifications of one action as parts of a larger statement (e.g. posting a message). */
export interface NotificationRowsInput
  extends Omit<NotificationInput, 'workspaceId' | 'recipientIds' | 'data'> {
  workspaceId: Expression<string>;
  internal: boolean;
  /** A jsonb value. */
  data: Expression<unknown>;
  /** A uuid[] of candidates in order; nulls, repeats, the actor and whoever may not see the news are dropped. */
  candidates: Expression<string[]>;
}

/** The insert of the notification rows, returning what notificationCtes and notifyPayloadSql read. */
export function notificationRows(executor: Executor, input: NotificationRowsInput) {
  return executor
    .insertInto('notifications')
    .columns(['workspaceId', 'userId', 'type', 'ticketId', 'actorId', 'data', 'internal'])
    .expression((eb) =>
      eb
        .selectFrom('users')
        .select([
          sql<string>`${input.workspaceId}`.as('workspaceId'),
          'users.id',
          sql<string>`${input.type}::text`.as('type'),
          sql<string>`${input.ticketId}::uuid`.as('ticketId'),
          sql<string>`${input.actorId}::uuid`.as('actorId'),
          sql<string>`${input.data}`.as('data'),
          sql<boolean>`${input.internal}::boolean`.as('internal'),
        ])
        .where(sql<boolean>`users.id = any(${input.candidates})`)
        .$if(input.notifyActor !== true && input.actorId !== null, (query) =>
          query.where('users.id', '<>', input.actorId as string),
        )
        .where((user) =>
          mayReceiveTicketNews(user, {
            workspaceId: input.workspaceId,
            ticketId: input.ticketId,
            internal: input.internal,
          }),
        )
        // Rows (and their sequence numbers) in the order the candidates were given.
        .orderBy(sql`array_position(${input.candidates}, users.id)`),
    )
    .returning(['id', 'seq', 'userId', 'type']);
}

/**
 * The CTEs `written` (the rows) and `mailed` (their e-mail outbox rows). No stored preference means on:
 * only an explicit "off" for this type holds the e-mail back.
 */
export function notificationCtes(written: ReturnType<typeof notificationRows>) {
  return sql`written as (${written}),
    mailed as (
      insert into notification_outbox (notification_id, channel)
      select written.id, 'email' from written
      join users on users.id = written.user_id and users.is_active
      where not exists (
        select 1 from notification_preferences preference
        where preference.user_id = written.user_id and preference.type = written.type
          and preference.channel = 'email' and not preference.enabled)
    )`;
}
