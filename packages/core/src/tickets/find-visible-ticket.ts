import type { TicketRow } from '@tickets/db';
import { ticketRowColumns } from '@tickets/db';
import type { Actor } from '../policy/actor';
import { ticketNotFound } from '../policy/permissions';
import { scopeTicketsToActor } from '../policy/tickets';
import type { Executor } from '../shared/transaction';

/**
 * The ticket if the actor may see it. A ticket they may not see answers exactly like a missing one
 * (same code, same message), so ids cannot be probed.
 * `forUpdate` locks the row until the caller's transaction ends: use it before changing the ticket.
 */
export async function findVisibleTicket(
  executor: Executor,
  actor: Actor,
  ticketId: string,
  options: { forUpdate?: boolean } = {},
): Promise<TicketRow> {
  let query = scopeTicketsToActor(executor.selectFrom('tickets').select(ticketRowColumns), actor).where(
    'tickets.id',
    '=',
    ticketId,
  );
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw ticketNotFound();
  return row;
}
