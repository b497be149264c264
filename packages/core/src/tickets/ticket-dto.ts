import type { TicketRow } from '@tickets/db';
import { toTicketSla } from '../sla/clock';
import type { Ticket, TicketCategory, TicketPriority, TicketStatus } from './schemas';

/** Row → contract. The database's CHECK constraints guarantee the enum values. */
export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    title: row.title,
    description: row.description,
    status: row.status as TicketStatus,
    priority: row.priority as TicketPriority,
    category: row.category as TicketCategory,
    createdBy: row.createdBy,
    assignedTo: row.assignedTo,
    isEscalated: row.isEscalated,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    firstResponseAt: row.firstResponseAt,
    resolvedAt: row.resolvedAt,
    version: row.version,
    sla: toTicketSla(row),
  };
}
