import type { TicketRow } from '@tickets/db';
import { toTicketSla } from '../sla/clock';
import type { Ticket } from './schemas';

/** Row → contract. The enum columns are typed by their CHECK constraints' lists (@tickets/db enums.ts). */
export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    category: row.category,
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
