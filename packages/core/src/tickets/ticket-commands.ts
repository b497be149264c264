import type { DB, TicketRow, TicketUpdate } from '@tickets/db';
import { ticketRowColumns } from '@tickets/db';
import { sql, type UpdateObject } from 'kysely';
import { AppError } from '../errors';
import type { Actor } from '../policy/actor';
import type { Executor } from '../shared/transaction';
import { findVisibleTicket } from './find-visible-ticket';

// What every ticket command shares: the row lock, the optimistic version check, one way to write a
// change (version + 1, updatedAt) and one shape for "what changed".

/** The fields a command may change, as the audit log records them. */
export type TicketField =
  | 'title'
  | 'description'
  | 'category'
  | 'priority'
  | 'status'
  | 'assignedTo'
  | 'isEscalated';
export type TicketPatch = Partial<Pick<TicketRow, TicketField>>;
export type TicketChanges = Partial<Record<TicketField, { from: unknown; to: unknown }>>;

/**
 * The statement's start, from the database clock: every timestamp of a ticket then comes from one clock
 * whatever server instance wrote it, and a change stamped after the row lock sorts after the change
 * that held it.
 */
export const statementNow = sql<Date>`statement_timestamp()`;

export const fieldNotAllowed = (field: string) =>
  new AppError('FIELD_NOT_ALLOWED', `You may not set ${field} on a ticket.`, { field });

/**
 * The ticket, locked until the transaction ends so concurrent commands on it run one after the other
 * and each sees the other's result. A stale `expectedVersion` answers VERSION_CONFLICT.
 */
export async function lockTicket(
  tx: Executor,
  actor: Actor,
  ticketId: string,
  expectedVersion: number | undefined,
): Promise<TicketRow> {
  const row = await findVisibleTicket(tx, actor, ticketId, { forUpdate: true });
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new AppError(
      'VERSION_CONFLICT',
      `The ticket changed since you loaded it (version ${expectedVersion}, now ${row.version}); reload and retry.`,
      { expectedVersion, currentVersion: row.version },
    );
  }
  return row;
}

/** The fields of `patch` whose value differs from the row, with before and after. */
export function diffTicket(row: TicketRow, patch: TicketPatch): TicketChanges {
  const changes: TicketChanges = {};
  for (const [field, to] of Object.entries(patch) as Array<[TicketField, unknown]>) {
    if (to !== undefined && row[field] !== to) changes[field] = { from: row[field], to };
  }
  return changes;
}

export const hasChanges = (changes: TicketChanges) => Object.keys(changes).length > 0;

/** Only the changed fields, as values to write. */
export function changedValues(changes: TicketChanges): TicketUpdate {
  return Object.fromEntries(
    Object.entries(changes).map(([field, change]) => [field, change.to]),
  ) as TicketUpdate;
}

/** Writes a change to a locked row: version + 1 and updatedAt now, whatever else changes. */
export function writeTicketChange(
  tx: Executor,
  row: TicketRow,
  values: UpdateObject<DB, 'tickets'>,
): Promise<TicketRow> {
  return tx
    .updateTable('tickets')
    .set({ ...values, version: row.version + 1, updatedAt: statementNow })
    .where('id', '=', row.id)
    .returning(ticketRowColumns)
    .executeTakeFirstOrThrow();
}
