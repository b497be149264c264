import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import type { Actor } from '../policy/actor';
import { can } from '../policy/permissions';
import { type Executor, inTransaction } from '../shared/transaction';
import { retimeTicketClock } from '../sla/ticket-clock';
import type { Ticket, UpdateTicketInput } from './schemas';
import {
  changedValues,
  diffTicket,
  fieldNotAllowed,
  hasChanges,
  lockTicket,
  writeTicketChange,
} from './ticket-commands';
import { toTicket } from './ticket-dto';
import { assertTransition } from './transitions';

/** Fields only staff may change; a requester naming one is refused, even with the current value. */
const staffOnlyFields = ['priority', 'status'] as const;

/**
 * Edits a ticket. Requesters: title, description and category of their own ticket while it is not closed.
 * Staff: also priority, and status through the transition table. A call that changes nothing writes
 * nothing (no version bump, no event).
 */
export async function updateTicket(
  executor: Executor,
  actor: Actor,
  input: UpdateTicketInput,
): Promise<Ticket> {
  if (!can(actor, 'ticket:triage')) {
    for (const field of staffOnlyFields) {
      if (input[field] !== undefined) throw fieldNotAllowed(field);
    }
  }
  return inTransaction(executor, async (tx) => {
    const row = await lockTicket(tx, actor, input.id, input.expectedVersion);
    if (row.status === 'closed' && !can(actor, 'ticket:change-closed', row)) {
      throw new AppError('TICKET_CLOSED', 'This ticket is closed; reopen it to change it.');
    }
    const changes = diffTicket(row, {
      title: input.title,
      description: input.description,
      category: input.category,
      priority: input.priority,
      status: input.status,
    });
    if (!hasChanges(changes)) return toTicket(row);
    if (changes.status && input.status) assertTransition(row.status, input.status, 'update');
    const clock = await retimeTicketClock(tx, row, { status: input.status, priority: input.priority });
    const updated = await writeTicketChange(tx, row, { ...changedValues(changes), ...clock });
    await recordAuditEvent(tx, {
      workspaceId: row.workspaceId,
      ticketId: row.id,
      actorId: actor.id,
      action: 'ticket.updated',
      data: { changes },
    });
    return toTicket(updated);
  });
}
