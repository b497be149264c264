import pg from 'pg';
import { createDatabase, type Database, migrateToLatest } from '../database';

/** The PostgreSQL server the tests use; its database `tickets_test` is recreated once per run. */
export const testServerUrl =
  process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testDatabaseName = process.env.TEST_DATABASE_NAME ?? 'tickets_test';

export function testDatabaseUrl(): string {
  const url = new URL(testServerUrl);
  url.pathname = `/${testDatabaseName}`;
  return url.toString();
}

/**
 * Vitest global setup: drop and recreate the test database, then migrate it. Fails loudly, with the
 * address it tried, when PostgreSQL cannot be reached: tests never fall back to a fake.
 */
export async function recreateTestDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: testServerUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Tests need a real PostgreSQL at ${testServerUrl} (set TEST_DATABASE_SERVER_URL): ${String(error)}`,
    );
  }
  try {
    await admin.query(`drop database if exists ${testDatabaseName} with (force)`);
    await admin.query(`create database ${testDatabaseName}`);
  } finally {
    await admin.end();
  }
  const database = await openTestDatabase();
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}

/** A pool on the (already migrated) test database. */
export function openTestDatabase(): Promise<Database> {
  return createDatabase({ kind: 'postgres', url: testDatabaseUrl(), maxConnections: 20 });
}
