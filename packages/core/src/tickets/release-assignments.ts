import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../policy/actor';
import type { Executor } from '../shared/transaction';
import { statementNow } from './ticket-commands';

/** Why a user's tickets were taken from them (recorded in each ticket's audit event). */
export type ReleaseReason = 'assignee_no_longer_staff' | 'assignee_deactivated';

/**
 * Unassigns every ticket of `userId` that is not closed, on the caller's transaction, each change with
 * its `ticket.assigned` audit event (to: null, with the reason). Used when a user stops being staff or
 * is deactivated: an assignee who can no longer open a ticket must not hold it (nor be sent its news).
 * Closed tickets keep their assignee: it is history, and the statistics count it. No one is notified:
 * the admin who made the change is the actor, and the tickets show up as unassigned in every queue.
 */
export async function releaseAssignments(
  tx: Executor,
  actor: Actor,
  userId: string,
  reason: ReleaseReason,
): Promise<number> {
  const released = await tx
    .updateTable('tickets')
    .set((eb) => ({ assignedTo: null, version: eb('version', '+', 1), updatedAt: statementNow }))
    .where('assignedTo', '=', userId)
    .where('status', '<>', 'closed')
    .returning(['id', 'workspaceId'])
    .execute();
  for (const ticket of released) {
    await recordAuditEvent(tx, {
      workspaceId: ticket.workspaceId,
      ticketId: ticket.id,
      actorId: actor.id,
      action: 'ticket.assigned',
      data: { changes: { assignedTo: { from: userId, to: null } }, reason },
    });
  }
  return released.length;
}
