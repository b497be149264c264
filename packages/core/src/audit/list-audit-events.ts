import type { AuditEventRow } from '@tickets/db';
import type { Actor } from '../policy/actor';
import { assertCan, can } from '../policy/permissions';
import { resolveWorkspaceFilter } from '../policy/workspaces';
import { decodeTimestampCursor, type Page, toPage } from '../shared/pagination';
import type { Executor } from '../shared/transaction';
import { findVisibleTicket } from '../tickets/find-visible-ticket';
import type { AuditAction } from './record-audit-event';
import type { AuditEvent, ListAuditEventsInput } from './schemas';

/**
 * The audit log, newest first. Staff read their workspace's log (a superadmin any one, or all); a
 * requester reads the log of one of their own tickets, without the events about internal notes and
 * attachments. A ticket the actor cannot see answers TICKET_NOT_FOUND.
 */
export async function listAuditEvents(
  executor: Executor,
  actor: Actor,
  input: ListAuditEventsInput,
): Promise<Page<AuditEvent>> {
  if (input.ticketId === undefined) assertCan(actor, 'log:read-workspace');
  const workspaceId = resolveWorkspaceFilter(actor, input.workspaceId);
  let query = executor
    .selectFrom('auditEvents')
    .selectAll()
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1);
  if (input.ticketId !== undefined) {
    const ticket = await findVisibleTicket(executor, actor, input.ticketId);
    query = query.where('ticketId', '=', ticket.id);
  }
  if (workspaceId !== null) query = query.where('workspaceId', '=', workspaceId);
  if (!can(actor, 'ticket:read-internal')) query = query.where('internal', '=', false);
  if (input.action !== undefined) query = query.where('action', '=', input.action);
  if (input.actorId !== undefined) query = query.where('actorId', '=', input.actorId);
  if (input.cursor) {
    const [before, id] = decodeTimestampCursor(input.cursor);
    query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(before, id)));
  }
  const rows = await query.execute();
  return toPage(rows, input.limit, (row) => [row.createdAt.toISOString(), row.id], toAuditEvent);
}

/** Row → contract. Only recordAuditEvent writes the table, so the action is one of auditActions. */
export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    ticketId: row.ticketId,
    actorId: row.actorId,
    action: row.action as AuditAction,
    internal: row.internal,
    data: row.data,
    createdAt: row.createdAt,
  };
}
