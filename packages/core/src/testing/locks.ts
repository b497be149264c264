import { sql } from 'kysely';
import type { Executor } from '../shared/transaction';

/**
 * Resolves once another connection's insert into `table` waits on a row lock: the moment a racing call
 * has passed its pre-check and hit the unique index, which is what race tests need to wait for.
 */
export async function untilAnInsertWaits(executor: Executor, table: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'
        and query ilike ${`insert into "${table}"%`}`.execute(executor);
    if ((rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no insert into ${table} ended up waiting on a lock`);
}
