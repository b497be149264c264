import type { DB } from '@tickets/db';
import type { Kysely, Transaction } from 'kysely';

/** A connection or an open transaction: queries and services run on whichever the caller gives. */
export type Executor = Kysely<DB>;

/** What runs once a transaction has committed, given the database it committed on. */
type AfterCommitTask = (db: Executor) => void;

const tasksOfOpenTransactions = new WeakMap<Transaction<DB>, AfterCommitTask[]>();

/**
 * Runs `work` atomically. Joins the caller's transaction when there is one (the caller owns it),
 * otherwise opens one, so a service is atomic both on its own and inside a larger unit of work.
 * What the work asked to do after commit (afterCommit) runs once it has committed, and never if it
 * rolls back.
 */
export async function inTransaction<T>(
  executor: Executor,
  work: (tx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (executor.isTransaction) return work(executor as Transaction<DB>);
  const tasks: AfterCommitTask[] = [];
  const result = await executor.transaction().execute((tx) => {
    tasksOfOpenTransactions.set(tx, tasks);
    return work(tx);
  });
  for (const task of tasks) task(executor);
  return result;
}

/**
 * Runs `task` once the caller's work is committed: at once outside a transaction (each statement
 * commits on its own), at the commit of a transaction opened by inTransaction otherwise.
 */
export function afterCommit(executor: Executor, task: AfterCommitTask): void {
  if (!executor.isTransaction) {
    task(executor);
    return;
  }
  const tasks = tasksOfOpenTransactions.get(executor as Transaction<DB>);
  if (!tasks) {
    throw new Error('afterCommit needs a transaction opened by inTransaction, which runs the task at commit');
  }
  tasks.push(task);
}
