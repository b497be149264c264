import type { Executor } from '../shared/transaction';

export const notificationTypes = [
  'ticket.assigned',
  'ticket.escalated',
  'ticket.closed',
  'ticket.reopened',
  'message.created',
  'attachment.created',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export interface NotificationInput {
  workspaceId: string;
  type: NotificationType;
  ticketId: string;
  actorId: string;
  /** Candidates; the actor, nulls and repeats are dropped here so no rule has to remember it. */
  recipientIds: ReadonlyArray<string | null | undefined>;
  data: Record<string, unknown>;
}

/**
 * Writes the notification rows of one action on the caller's executor, in one statement, so they
 * commit with the action. Returns the ids written.
 */
export async function createNotifications(executor: Executor, input: NotificationInput): Promise<string[]> {
  const recipients = [...new Set(input.recipientIds)].filter(
    (id): id is string => typeof id === 'string' && id !== input.actorId,
  );
  if (recipients.length === 0) return [];
  const data = JSON.stringify(input.data);
  const rows = await executor
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
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
