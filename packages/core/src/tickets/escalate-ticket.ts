import { recordAuditEvent } from '../audit/record-audit-event';
import { createNotifications } from '../notifications/create-notifications';
import type { Actor } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { type Executor, inTransaction } from '../shared/transaction';
import { retimeTicketClock } from '../sla/ticket-clock';
import type { EscalateTicketInput, Ticket } from './schemas';
import { changedValues, diffTicket, hasChanges, lockTicket, writeTicketChange } from './ticket-commands';
import { toTicket } from './ticket-dto';
import { assertTransition } from './transitions';

/**
 * Staff: priority critical, flagged escalated, status escalated. A ticket already in that state is left
 * alone (success, nothing written). Tells the assignee, or every active admin and support of the
 * workspace when nobody has it.
 */
export async function escalateTicket(
  executor: Executor,
  actor: Actor,
  input: EscalateTicketInput,
): Promise<Ticket> {
  // Before the lookup: a requester is refused alike whatever the id; the lookup scopes the row.
  assertCan(actor, 'ticket:escalate');
  return inTransaction(executor, async (tx) => {
    const row = await lockTicket(tx, actor, input.id, input.expectedVersion);
    const changes = diffTicket(row, { status: 'escalated', priority: 'critical', isEscalated: true });
    if (!hasChanges(changes)) return toTicket(row);
    if (changes.status) assertTransition(row.status, 'escalated', 'escalate');
    const clock = await retimeTicketClock(tx, row, { status: 'escalated', priority: 'critical' });
    const updated = await writeTicketChange(tx, row, { ...changedValues(changes), ...clock });
    await recordAuditEvent(tx, {
      workspaceId: row.workspaceId,
      ticketId: row.id,
      actorId: actor.id,
      action: 'ticket.escalated',
      data: { changes, reason: input.reason || null },
    });
    const recipientIds = row.assignedTo
      ? [row.assignedTo]
      : (
          await tx
            .selectFrom('users')
            .select('id')
            .where('workspaceId', '=', row.workspaceId)
            .where('role', 'in', ['admin', 'support'])
            .where('isActive', '=', true)
            .execute()
        ).map((user) => user.id);
    await createNotifications(tx, {
      workspaceId: row.workspaceId,
      type: 'ticket.escalated',
      ticketId: row.id,
      actorId: actor.id,
      recipientIds,
      data: { title: row.title, from: row.status, to: 'escalated' },
    });
    return toTicket(updated);
  });
}
