import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { createNotifications } from '../notifications/create-notifications';
import type { Actor } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { type Executor, inTransaction } from '../shared/transaction';
import type { AssignTicketInput, Ticket } from './schemas';
import { diffTicket, hasChanges, lockTicket, writeTicketChange } from './ticket-commands';
import { toTicket } from './ticket-dto';

/**
 * Staff: gives the ticket to an active staff member of its workspace (or a superadmin), or to nobody.
 * Assigning the current assignee again succeeds and writes nothing.
 */
export async function assignTicket(
  executor: Executor,
  actor: Actor,
  input: AssignTicketInput,
): Promise<Ticket> {
  // Before the lookup: a requester is refused alike whatever the id; the lookup scopes the row.
  assertCan(actor, 'ticket:assign');
  return inTransaction(executor, async (tx) => {
    const row = await lockTicket(tx, actor, input.id, input.expectedVersion);
    const changes = diffTicket(row, { assignedTo: input.assigneeId });
    if (!hasChanges(changes)) return toTicket(row);
    if (input.assigneeId !== null) await assertAssignable(tx, input.assigneeId, row.workspaceId);
    const updated = await writeTicketChange(tx, row, { assignedTo: input.assigneeId });
    await recordAuditEvent(tx, {
      workspaceId: row.workspaceId,
      ticketId: row.id,
      actorId: actor.id,
      action: 'ticket.assigned',
      data: { changes },
    });
    await createNotifications(tx, {
      workspaceId: row.workspaceId,
      type: 'ticket.assigned',
      ticketId: row.id,
      actorId: actor.id,
      recipientIds: [input.assigneeId],
      data: { title: row.title, from: row.assignedTo, to: input.assigneeId },
    });
    return toTicket(updated);
  });
}

async function assertAssignable(tx: Executor, userId: string, workspaceId: string): Promise<void> {
  const assignee = await tx
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('isActive', '=', true)
    .where((eb) =>
      eb.or([
        eb('role', '=', 'superadmin'),
        eb.and([eb('role', 'in', ['admin', 'support']), eb('workspaceId', '=', workspaceId)]),
      ]),
    )
    .executeTakeFirst();
  if (!assignee) {
    throw new AppError('INVALID_ASSIGNEE', 'The assignee must be an active staff member of the workspace.', {
      field: 'assigneeId',
    });
  }
}
