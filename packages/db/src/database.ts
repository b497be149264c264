import { mkdir } from 'node:fs/promises';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index';
import { prepareMarkedStatements } from './prepared-statements';
import type { DB } from './schema';

export type DatabaseConfig =
  | {
      kind: 'postgres';
      url: string;
      /** Pool size per process. */
      maxConnections?: number;
      /** How long a request waits for a free connection before failing (pg's default is forever). */
      connectionTimeoutMs?: number;
      /** Upper bound on any one statement, so a runaway query cannot hold a connection. */
      statementTimeoutMs?: number;
      /**
       * Behind a pooler in transaction mode (PgBouncer), no connection is ours beyond a transaction and
       * startup parameters are refused: the statement timeout and `jit = off` are then the role's or
       * database's settings (ALTER ROLE … SET), not sent per connection.
       */
      pooler?: 'pgbouncer' | null;
    }
  | {
      kind: 'pglite';
      /** Folder of the embedded database; omitted means in memory. */
      dataDir?: string;
    };

export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseConfig['kind'];
  /** True when the database answers a trivial query. */
  isReady(): Promise<boolean>;
  /** The pool's connections now (PostgreSQL; the embedded database has one, never pooled): for /metrics. */
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Open connections, in use or idle. */
  total: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Counts and sizes come back as int8, averages as numeric; every one we produce fits in a double.
pg.types.setTypeParser(INT8_OID, (value) => Number(value));
pg.types.setTypeParser(NUMERIC_OID, (value) => Number(value));

export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  const plugins = [new CamelCasePlugin()];
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.maxConnections ?? 10,
      connectionTimeoutMillis: config.connectionTimeoutMs ?? 5_000,
      ...(config.pooler === 'pgbouncer'
        ? {}
        : {
            statement_timeout: config.statementTimeoutMs ?? 15_000,
            // No JIT: our statements are short OLTP queries, and a plan priced high (a large table, a
            // part that never runs) made PostgreSQL spend ~200 ms compiling a query that ran in 1 ms.
            options: '-c jit=off',
          }),
    });
    // An idle client losing its server (restart, terminated backend) must not crash the process;
    // the pool drops it and the next checkout connects anew.
    pool.on('error', () => {});
    // The pool listens only while a client is idle: a checked-out client whose backend is terminated
    // between two statements (mid-transaction) would emit an unhandled 'error' and crash the process.
    // The failure still reaches the next statement on that client, and the pool discards it on release.
    pool.on('connect', (client) => {
      client.on('error', () => {});
      if (config.pooler !== 'pgbouncer') prepareMarkedStatements(client);
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
    return wrap(db, 'postgres', () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }));
  }
  // Loaded only here: a server on PostgreSQL need not spend start-up time on the embedded engine.
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('kysely-pglite-dialect'),
  ]);
  if (config.dataDir) await mkdir(config.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(config.dataDir ? { dataDir: config.dataDir } : {}),
    parsers: {
      [INT8_OID]: (value: string) => Number(value),
      [NUMERIC_OID]: (value: string) => Number(value),
    },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), plugins });
  return wrap(db, 'pglite', () => null);
}

function wrap(db: Kysely<DB>, kind: DatabaseConfig['kind'], poolStats: () => PoolStats | null): Database {
  return {
    db,
    kind,
    poolStats,
    async isReady() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

/** Brings the schema to the latest migration; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error : new Error(String(error ?? 'unknown error'));
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${cause.message}`, { cause });
  }
}
