import type { TicketRow } from '@tickets/db';
import { ticketRowColumns } from '@tickets/db';
import { sql } from 'kysely';
import { AppError } from '../errors';
import type { Actor } from '../policy/actor';
import { scopeTicketsToActor } from '../policy/tickets';
import { resolveWorkspaceFilter } from '../policy/workspaces';
import {
  decodeCursor,
  type KeysetPosition,
  type Page,
  parseCursorInstant,
  toPage,
} from '../shared/pagination';
import type { Executor } from '../shared/transaction';
import type { ListTicketsInput, Ticket, TicketSort } from './schemas';
import { toTicket } from './ticket-dto';

// Keyset pagination over the migration's indexes: (workspace_id, <sort keys> desc, id desc). The cursor
// carries every sort key of the last row, tagged with its order, so a cursor from one order is refused
// by another instead of silently skipping rows. The shared [key, id] cursor shape is kept: the priority
// order's two keys travel in the key as `p:<rank>:<createdAt>`.

/** The cursor's key: every sort column of the row but the id, tagged with the order. */
function keyOf(sort: TicketSort, row: TicketRow): string {
  switch (sort) {
    case 'created':
      return `c:${row.createdAt.toISOString()}`;
    case 'updated':
      return `u:${row.updatedAt.toISOString()}`;
    case 'priority':
      return `p:${row.priorityRank}:${row.createdAt.toISOString()}`;
    case 'sla':
      return `s:${row.slaNextDueAt?.toISOString() ?? 'none'}`;
  }
}

const keyPatterns: Record<TicketSort, RegExp> = {
  created: /^c:(?<at>.+)$/,
  updated: /^u:(?<at>.+)$/,
  priority: /^p:(?<rank>[0-3]):(?<at>.+)$/,
  sla: /^s:(?<at>.+)$/,
};

/** The sort columns of the last row seen, from a cursor made by the same order. */
function parseCursor(sort: TicketSort, cursor: string): { rank: number; at: Date | 'none'; id: string } {
  const [key, id] = decodeCursor(cursor);
  const groups = typeof key === 'string' ? keyPatterns[sort].exec(key)?.groups : undefined;
  // 'none': a row of the 'sla' order with no running target (sorted as infinity, after every time).
  const at = sort === 'sla' && groups?.at === 'none' ? 'none' : parseCursorInstant(groups?.at);
  if (!groups || !at) {
    throw new AppError('INVALID_CURSOR', 'The cursor is not one this list produced.', { field: 'cursor' });
  }
  return { rank: Number(groups.rank ?? 0), at, id };
}

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

  const position = input.cursor ? parseCursor(input.sort, input.cursor) : null;
  if (input.sort === 'sla') {
    const after = position;
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
    return toPage(rows, input.limit, (row): KeysetPosition => [keyOf('sla', row), row.id], toTicket);
  }
  // Only the 'sla' order has rows without a time ('none'); parseCursor refuses it for the others.
  const after = position && position.at !== 'none' ? { ...position, at: position.at } : null;
  if (input.sort === 'priority') {
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
  return toPage(rows, input.limit, (row): KeysetPosition => [keyOf(input.sort, row), row.id], toTicket);
}
