import type { DB } from '@tickets/db';
import type { Kysely, Transaction } from 'kysely';

/** A connection or an open transaction: queries and services run on whichever the caller gives. */
export type Executor = Kysely<DB>;

/**
 * Runs `work` atomically. Joins the caller's transaction when there is one (the caller owns it),
 * otherwise opens one, so a service is atomic both on its own and inside a larger unit of work.
 */
export function inTransaction<T>(executor: Executor, work: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (executor.isTransaction) return work(executor as Transaction<DB>);
  return executor.transaction().execute(work);
}
