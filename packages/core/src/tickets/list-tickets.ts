import { ticketRowColumns } from '@tickets/db';
import { sql } from 'kysely';
import type { Actor } from '../policy/actor';
import { scopeTicketsToActor } from '../policy/tickets';
import { resolveWorkspaceFilter } from '../policy/workspaces';
import { type Page, toPage } from '../shared/pagination';
import type { Executor } from '../shared/transaction';
import type { ListTicketsInput, Ticket } from './schemas';
import { decodeTicketCursor, ticketPosition } from './ticket-cursor';
import { toTicket } from './ticket-dto';

// Keyset pagination over the migration's indexes: (workspace_id, <sort keys> desc, id desc); the 'sla'
// order ascending. The cursors are ticket-cursor.ts's.

/**
 * The tickets the actor may see (requesters: their own; staff: their workspace; superadmin: all, or one
 * workspace), filtered, newest first in the chosen order. One statement whatever the page size.
 */
export async function listTickets(
  executor: Executor,
  actor: Actor,
  input: ListTicketsInput,
): Promise<Page<Ticket>> {
  const workspaceId = resolveWorkspaceFilter(actor, input.workspaceId);
  let query = scopeTicketsToActor(executor.selectFrom('tickets').select(ticketRowColumns), actor);
  if (workspaceId !== null) query = query.where('tickets.workspaceId', '=', workspaceId);
  if (input.status !== undefined) query = query.where('tickets.status', '=', input.status);
  if (input.priority !== undefined) query = query.where('tickets.priority', '=', input.priority);
  if (input.category !== undefined) query = query.where('tickets.category', '=', input.category);
  if (input.createdBy !== undefined) query = query.where('tickets.createdBy', '=', input.createdBy);
  if (input.isEscalated !== undefined) query = query.where('tickets.isEscalated', '=', input.isEscalated);
  if (input.assignedTo === 'none') query = query.where('tickets.assignedTo', 'is', null);
  else if (input.assignedTo !== undefined) query = query.where('tickets.assignedTo', '=', input.assignedTo);
  if (input.sla === 'breached') {
    // Spelled as the partial index tickets_ws_sla_breached_idx is, so the planner can use it.
    query = query.where(
      sql<boolean>`tickets.status <> 'closed' and (tickets.sla_first_response_breached_at is not null or tickets.sla_resolution_breached_at is not null)`,
    );
  } else if (input.sla !== undefined) {
    // On sla_sort_at (the next due time, infinity for none), so the 'sla' order's index serves the range.
    const until = new Date(Date.now() + input.sla.dueWithinMinutes * 60_000);
    query = query.where('tickets.slaSortAt', '<=', until);
  }
  if (input.q) {
    // The generated, GIN-indexed tsvector: stemmed words of title (weight A) and description (B).
    query = query.where(sql<boolean>`tickets.search @@ websearch_to_tsquery('english', ${input.q})`);
  }

  if (input.sort === 'sla') {
    const after = input.cursor ? decodeTicketCursor('sla', input.cursor) : null;
    // Soonest due first, over (workspace_id, sla_sort_at, id): ascending, unlike the other orders.
    const rows = await query
      .where((eb) =>
        after
          ? eb(
              eb.refTuple('tickets.slaSortAt', 'tickets.id'),
              '>',
              eb.tuple(after.at === 'none' ? sql<Date>`'infinity'::timestamptz` : after.at, after.id),
            )
          : eb.lit(true),
      )
      .orderBy('tickets.slaSortAt', 'asc')
      .orderBy('tickets.id', 'asc')
      .limit(input.limit + 1)
      .execute();
    return toPage(rows, input.limit, (row) => ticketPosition('sla', row), toTicket);
  }
  if (input.sort === 'priority') {
    const after = input.cursor ? decodeTicketCursor('priority', input.cursor) : null;
    query = query.orderBy('tickets.priorityRank', 'desc').orderBy('tickets.createdAt', 'desc');
    if (after) {
      query = query.where((eb) =>
        eb(
          eb.refTuple('tickets.priorityRank', 'tickets.createdAt', 'tickets.id'),
          '<',
          eb.tuple(after.rank, after.at, after.id),
        ),
      );
    }
  } else {
    const after = input.cursor ? decodeTicketCursor(input.sort, input.cursor) : null;
    const column = input.sort === 'created' ? 'tickets.createdAt' : 'tickets.updatedAt';
    query = query.orderBy(column, 'desc');
    if (after) {
      query = query.where((eb) => eb(eb.refTuple(column, 'tickets.id'), '<', eb.tuple(after.at, after.id)));
    }
  }
  const rows = await query
    .orderBy('tickets.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  return toPage(rows, input.limit, (row) => ticketPosition(input.sort, row), toTicket);
}
