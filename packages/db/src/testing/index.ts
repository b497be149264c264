import pg from 'pg';
import { createDatabase, type Database, migrateToLatest } from '../database';

/** The PostgreSQL server the tests use. Each test run gets a database of its own on it. */
export const testServerUrl =
  process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The run's database: named by the global setup (one per run, so runs started side by side never drop
 * each other's data) and handed to the test workers through the environment they inherit.
 */
export function testDatabaseUrl(): string {
  const name = process.env.TEST_DATABASE_NAME;
  if (!name)
    throw new Error('TEST_DATABASE_NAME is unset: run tests through vitest (its global setup sets it).');
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Vitest global setup: create this run's database and migrate it; the returned function drops it.
 * Fails loudly, with the address it tried, when PostgreSQL cannot be reached: tests never fall back
 * to a fake.
 */
export async function recreateTestDatabase(): Promise<() => Promise<void>> {
  const name = process.env.TEST_DATABASE_NAME ?? `tickets_test_${process.pid}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`TEST_DATABASE_NAME must be a plain identifier: ${name}`);
  process.env.TEST_DATABASE_NAME = name;
  await runAdminQueries([
    ...(await databasesOfDeadRuns()).map((stale) => `drop database if exists ${stale} with (force)`),
    `drop database if exists ${name} with (force)`,
    `create database ${name}`,
  ]);
  const database = await openTestDatabase();
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  return () => runAdminQueries([`drop database if exists ${name} with (force)`]);
}

async function runAdminQueries(statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: testServerUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Tests need a real PostgreSQL at ${testServerUrl} (set TEST_DATABASE_SERVER_URL): ${String(error)}`,
    );
  }
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Databases left by runs that were killed before their teardown (their process is gone). */
async function databasesOfDeadRuns(): Promise<string[]> {
  const admin = new pg.Client({ connectionString: testServerUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect().catch(() => {});
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname ~ '^tickets_test_[0-9]+$'`,
    );
    return rows.map((row) => row.datname).filter((datname) => !isAlive(Number(datname.split('_').at(-1))));
  } catch {
    return []; // unreachable server: runAdminQueries reports it with the address
  } finally {
    await admin.end().catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A pool on the (already migrated) test database. */
export function openTestDatabase(): Promise<Database> {
  return createDatabase({ kind: 'postgres', url: testDatabaseUrl(), maxConnections: 20 });
}
