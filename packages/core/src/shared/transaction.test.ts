import { openTestDatabase } from '@tickets/db/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { afterCommit, type Executor, inTransaction } from './transaction';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

/** Whether a row written by the transaction is visible to another connection right now. */
async function committed(marker: string): Promise<boolean> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from workspaces where slug = ${marker}`.execute(db);
  return rows[0]?.n === 1;
}

async function writeWorkspace(tx: Executor, marker: string) {
  await tx.insertInto('workspaces').values({ name: marker, slug: marker }).execute();
}

describe('afterCommit', () => {
  it('given work in a transaction, then its task runs once the transaction has committed, on the root database', async () => {
    const marker = `after-commit-${crypto.randomUUID().slice(0, 8)}`;
    const seen: Array<{ visible: boolean; root: boolean }> = [];

    await inTransaction(db, async (tx) => {
      await writeWorkspace(tx, marker);
      afterCommit(tx, (root) => {
        void committed(marker).then((visible) => seen.push({ visible, root: root === db }));
      });
      expect(seen).toEqual([]);
    });

    await expect.poll(() => seen).toEqual([{ visible: true, root: true }]);
  });

  it('given work that rolls back, then its task never runs', async () => {
    const ran: string[] = [];

    await expect(
      inTransaction(db, async (tx) => {
        afterCommit(tx, () => ran.push('task'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    expect(ran).toEqual([]);
  });

  it('given a service joining the caller’s transaction, then its task waits for the caller’s commit', async () => {
    const order: string[] = [];

    await inTransaction(db, async (outer) => {
      await inTransaction(outer, async (inner) => {
        afterCommit(inner, () => order.push('task'));
      });
      order.push('outer work done');
    });

    expect(order).toEqual(['outer work done', 'task']);
  });

  it('given no transaction, then the task runs at once (the statement has committed on its own)', () => {
    const ran: string[] = [];

    afterCommit(db, () => ran.push('task'));

    expect(ran).toEqual(['task']);
  });

  it('given a transaction opened without inTransaction, then asking for a task fails loudly', async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        afterCommit(tx, () => {});
      }),
    ).rejects.toThrow(/inTransaction/);
  });
});
