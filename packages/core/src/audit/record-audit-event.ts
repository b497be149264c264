import { toJsonText } from '../shared/text';
import type { Executor } from '../shared/transaction';
import { insertAuditEventWithWebhooks } from '../webhooks/enqueue';

export const auditActions = [
  'ticket.created',
  'ticket.updated',
  'ticket.assigned',
  'ticket.escalated',
  'ticket.closed',
  'ticket.reopened',
  'message.created',
  'attachment.created',
  'sla.breached',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEventInput {
  workspaceId: string;
  ticketId: string | null;
  /** Null when the system acts (a service-level breach). */
  actorId: string | null;
  action: AuditAction;
  /** True for events about internal notes and attachments: requesters never see them. */
  internal?: boolean;
  data: Record<string, unknown>;
}

/**
 * Writes one audit event on the caller's executor, so it commits or rolls back with the change, together
 * with the webhook deliveries it causes (one statement: see insertAuditEventWithWebhooks).
 */
export async function recordAuditEvent(executor: Executor, event: AuditEventInput): Promise<void> {
  await insertAuditEventWithWebhooks(executor, {
    workspaceId: event.workspaceId,
    ticketId: event.ticketId,
    actorId: event.actorId,
    action: event.action,
    internal: event.internal ?? false,
    data: toJsonText(event.data),
  });
}
