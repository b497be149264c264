import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { createNotifications } from '../notifications/create-notifications';
import type { Actor } from '../policy/actor';
import { can } from '../policy/permissions';
import { type Executor, inTransaction } from '../shared/transaction';
import { retimeTicketClock } from '../sla/ticket-clock';
import type { ReopenTicketInput, Ticket } from './schemas';
import { lockTicket, writeTicketChange } from './ticket-commands';
import { toTicket } from './ticket-dto';
import { assertTransition } from './transitions';

/**
 * Staff, or the requester who created the ticket (anyone else cannot see it: NOT_FOUND), reopens a
 * closed ticket: resolvedAt is cleared. Requesters reopen to `open` only; staff may pick `in_progress`.
 */
export async function reopenTicket(
  executor: Executor,
  actor: Actor,
  input: ReopenTicketInput,
): Promise<Ticket> {
  if (input.status !== 'open' && !can(actor, 'ticket:triage')) {
    throw new AppError('FIELD_NOT_ALLOWED', 'You may only reopen a ticket to open.', { field: 'status' });
  }
  return inTransaction(executor, async (tx) => {
    const row = await lockTicket(tx, actor, input.id, input.expectedVersion);
    if (row.status !== 'closed')
      throw new AppError('TICKET_NOT_CLOSED', 'Only a closed ticket can be reopened.');
    assertTransition('closed', input.status, 'reopen');
    const clock = await retimeTicketClock(tx, row, { status: input.status });
    const updated = await writeTicketChange(tx, row, { status: input.status, resolvedAt: null, ...clock });
    await recordAuditEvent(tx, {
      workspaceId: row.workspaceId,
      ticketId: row.id,
      actorId: actor.id,
      action: 'ticket.reopened',
      data: { changes: { status: { from: 'closed', to: input.status } }, reason: input.reason || null },
    });
    await createNotifications(tx, {
      workspaceId: row.workspaceId,
      type: 'ticket.reopened',
      ticketId: row.id,
      actorId: actor.id,
      recipientIds: [row.createdBy],
      data: { title: row.title, from: 'closed', to: input.status },
    });
    return toTicket(updated);
  });
}
