import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from './database';
import { preparedStatement } from './prepared-statements';
import { testDatabaseUrl } from './testing/index';

// One connection, so the statements and the catalogue of prepared statements are on the same session.
const opened: Database[] = [];
async function openOneConnection(pooler: 'pgbouncer' | null = null): Promise<Database> {
  const database = await createDatabase({
    kind: 'postgres',
    url: testDatabaseUrl(),
    maxConnections: 1,
    pooler,
  });
  opened.push(database);
  return database;
}

async function preparedOnThisConnection(database: Database): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
    database.db,
  );
  return rows.map((row) => row.statement);
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

describe('prepared statements', () => {
  it('given a statement that starts with the marker, when run twice with different values, then it is prepared once and answers each', async () => {
    const database = await openOneConnection();
    const double = (n: number) =>
      sql<{ doubled: number }>`${preparedStatement} select ${n}::int * 2 as doubled`;

    const first = await double(2).execute(database.db);
    const second = await double(21).execute(database.db);

    expect([first.rows[0]?.doubled, second.rows[0]?.doubled]).toEqual([4, 42]);
    const prepared = await preparedOnThisConnection(database);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toContain('select $1::int * 2 as doubled');
  });

  it('given a statement without the marker, when run, then nothing is prepared', async () => {
    const database = await openOneConnection();

    await sql`select ${1}::int as one`.execute(database.db);

    expect(await preparedOnThisConnection(database)).toEqual([]);
  });

  it('given a transaction-mode pooler (no named statements across transactions), when a marked statement runs, then it is sent unnamed', async () => {
    const database = await openOneConnection('pgbouncer');

    const { rows } = await sql<{ one: number }>`${preparedStatement} select ${1}::int as one`.execute(
      database.db,
    );

    expect(rows[0]?.one).toBe(1);
    expect(await preparedOnThisConnection(database)).toEqual([]);
  });

  it('given a prepared statement that fails, when run again with good values, then it answers (the name stays usable)', async () => {
    const database = await openOneConnection();
    const inverse = (n: number) =>
      sql<{ inverse: number }>`${preparedStatement} select 1 / ${n}::int as inverse`;

    await expect(inverse(0).execute(database.db)).rejects.toThrow(/division by zero/);
    const { rows } = await inverse(1).execute(database.db);

    expect(rows[0]?.inverse).toBe(1);
  });
});
