import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
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
 * Every database a test run creates carries this marker as its COMMENT: the host, the pid and the start
 * time of the run that made it. A run drops only what it created, plus databases marked by a run of THIS
 * host whose process is gone (killed before its teardown), or older than STALE_AFTER_MS (the pid has
 * been reused: no run lasts that long). Another host's databases, and unmarked ones, are never touched:
 * on a PostgreSQL shared by machines or containers, a pid says nothing about another host's processes.
 */
export interface RunMarker {
  host: string;
  pid: number;
  startedAt: number;
}

const MARKER_PREFIX = 'tickets-test-run ';
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
const thisRun: RunMarker = { host: hostname(), pid: process.pid, startedAt: Date.now() };

export const markerComment = (marker: RunMarker) => `${MARKER_PREFIX}${JSON.stringify(marker)}`;

function parseMarker(comment: string | null): RunMarker | null {
  if (!comment?.startsWith(MARKER_PREFIX)) return null;
  try {
    const marker = JSON.parse(comment.slice(MARKER_PREFIX.length)) as Partial<RunMarker>;
    if (
      typeof marker.host !== 'string' ||
      typeof marker.pid !== 'number' ||
      typeof marker.startedAt !== 'number'
    )
      return null;
    return marker as RunMarker;
  } catch {
    return null;
  }
}

/** True when a database marked so may be dropped by this run (see RunMarker). */
export function isAbandoned(marker: RunMarker | null, now = Date.now(), alive = isAlive): boolean {
  if (!marker || marker.host !== thisRun.host) return false;
  if (marker.pid === thisRun.pid && marker.startedAt === thisRun.startedAt) return false;
  return !alive(marker.pid) || now - marker.startedAt > STALE_AFTER_MS;
}

/**
 * Vitest global setup: create this run's database, mark it and migrate it; the returned function drops
 * it. The default name carries the pid and a random part, so two containers whose runs share a pid on one
 * server never meet on one name. Fails loudly, with the address it tried, when PostgreSQL cannot be
 * reached: tests never fall back to a fake.
 */
export async function recreateTestDatabase(): Promise<() => Promise<void>> {
  const name =
    process.env.TEST_DATABASE_NAME ?? `tickets_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`TEST_DATABASE_NAME must be a plain identifier: ${name}`);
  process.env.TEST_DATABASE_NAME = name;
  const abandoned = await abandonedDatabases();
  await runAdminQueries([
    ...abandoned.map((stale) => `drop database if exists ${stale} with (force)`),
    `create database ${name}`,
    `comment on database ${name} is '${markerComment(thisRun)}'`,
  ]);
  const database = await openTestDatabase();
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  return () => runAdminQueries([`drop database if exists ${name} with (force)`]);
}

/**
 * A second, empty database for a test that needs one of its own (e.g. a database with no superadmin),
 * marked as this run's: `drop()` removes it, and a killed run's copy is swept like the run's database.
 * Not migrated: the server under test migrates it, as it would a new installation's.
 */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/^[a-z0-9_]+$/.test(label)) throw new Error(`label must be a plain identifier: ${label}`);
  const name = `${process.env.TEST_DATABASE_NAME ?? 'tickets_test'}_${label}_${randomBytes(3).toString('hex')}`;
  await runAdminQueries([
    `create database ${name}`,
    `comment on database ${name} is '${markerComment(thisRun)}'`,
  ]);
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runAdminQueries([`drop database if exists ${name} with (force)`]),
  };
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

/** Test databases whose marker says a run of this host left them behind (see RunMarker). */
export async function abandonedDatabases(): Promise<string[]> {
  const admin = new pg.Client({ connectionString: testServerUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect().catch(() => {});
  try {
    const { rows } = await admin.query<{ datname: string; comment: string | null }>(
      `select datname, shobj_description(oid, 'pg_database') as comment from pg_database
       where datname like 'tickets\\_test\\_%'`,
    );
    return rows.filter((row) => isAbandoned(parseMarker(row.comment))).map((row) => row.datname);
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
export { StatementCounter } from './statement-counter';
