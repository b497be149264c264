import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { createNotifications } from '../notifications/create-notifications';
import type { Actor } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { type Executor, inTransaction } from '../shared/transaction';
import { retimeTicketClock } from '../sla/ticket-clock';
import type { CloseTicketInput, Ticket } from './schemas';
import { lockTicket, statementNow, writeTicketChange } from './ticket-commands';
import { toTicket } from './ticket-dto';
import { assertTransition } from './transitions';

/** Staff: closes the ticket (resolvedAt now) and tells its creator. Closing a closed ticket is an error. */
export async function closeTicket(
  executor: Executor,
  actor: Actor,
  input: CloseTicketInput,
): Promise<Ticket> {
  // Before the lookup: a requester is refused alike whatever the id; the lookup scopes the row.
  assertCan(actor, 'ticket:close');
  return inTransaction(executor, async (tx) => {
    const row = await lockTicket(tx, actor, input.id, input.expectedVersion);
    if (row.status === 'closed')
      throw new AppError('TICKET_ALREADY_CLOSED', 'This ticket is already closed.');
    const from = row.status;
    assertTransition(from, 'closed', 'close');
    const clock = await retimeTicketClock(tx, row, { status: 'closed' });
    const updated = await writeTicketChange(tx, row, {
      status: 'closed',
      resolvedAt: statementNow,
      ...clock,
    });
    await recordAuditEvent(tx, {
      workspaceId: row.workspaceId,
      ticketId: row.id,
      actorId: actor.id,
      action: 'ticket.closed',
      data: { changes: { status: { from, to: 'closed' } }, reason: input.reason || null },
    });
    await createNotifications(tx, {
      workspaceId: row.workspaceId,
      type: 'ticket.closed',
      ticketId: row.id,
      actorId: actor.id,
      recipientIds: [row.createdBy],
      data: { title: row.title, from, to: 'closed' },
    });
    return toTicket(updated);
  });
}
