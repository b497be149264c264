import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCliEnv, loadEnv, repoRoot } from './env';

describe('loadEnv', () => {
  it('given nothing, then it serves the embedded database in <repo>/.data/pglite on 127.0.0.1:3000', () => {
    expect(loadEnv({})).toMatchObject({
      nodeEnv: 'development',
      production: false,
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'pglite', dataDir: join(repoRoot, '.data/pglite') },
      secureCookies: false,
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
    });
  });

  it('given DATABASE_URL, then it uses a PostgreSQL pool with bounded waits', () => {
    const env = loadEnv({
      DATABASE_URL: 'postgres://app:secret@db:5432/tickets',
      DB_POOL_MAX: '4',
      DB_STATEMENT_TIMEOUT_MS: '2000',
    });
    expect(env.database).toEqual({
      kind: 'postgres',
      url: 'postgres://app:secret@db:5432/tickets',
      listenUrl: 'postgres://app:secret@db:5432/tickets',
      pooler: null,
      maxConnections: 4,
      connectionTimeoutMs: 5_000,
      statementTimeoutMs: 2_000,
    });
  });

  it('given DATABASE_POOLER=pgbouncer, then LISTEN needs its own direct DATABASE_LISTEN_URL', () => {
    expect(() =>
      loadEnv({ DATABASE_URL: 'postgres://app@bouncer:6432/t', DATABASE_POOLER: 'pgbouncer' }),
    ).toThrow(/DATABASE_LISTEN_URL: required with DATABASE_POOLER=pgbouncer/);
    const env = loadEnv({
      DATABASE_URL: 'postgres://app@bouncer:6432/t',
      DATABASE_POOLER: 'pgbouncer',
      DATABASE_LISTEN_URL: 'postgres://app@db:5432/t',
    });
    expect(env.database).toMatchObject({ pooler: 'pgbouncer', listenUrl: 'postgres://app@db:5432/t' });
  });

  it('given NODE_ENV=production, then cookies are Secure unless SECURE_COOKIES says otherwise', () => {
    expect(loadEnv({ NODE_ENV: 'production' })).toMatchObject({ production: true, secureCookies: true });
    expect(loadEnv({ NODE_ENV: 'production', SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
    expect(loadEnv({ SECURE_COOKIES: '1' }).secureCookies).toBe(true);
  });

  it('given a relative DATA_DIR, then it resolves against the repository root, not the working folder', () => {
    expect(loadEnv({ DATA_DIR: 'var/db' }).database).toEqual({
      kind: 'pglite',
      dataDir: join(repoRoot, 'var/db'),
    });
    expect(loadEnv({ DATA_DIR: '/srv/tickets' }).database).toEqual({
      kind: 'pglite',
      dataDir: '/srv/tickets',
    });
  });

  it('given an empty variable, then it counts as unset (FOO= in an env file)', () => {
    expect(loadEnv({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 3000,
      database: { kind: 'pglite' },
    });
  });

  it('given PORT=0, then the system picks a free port', () => {
    expect(loadEnv({ PORT: '0' }).port).toBe(0);
  });

  it('given no WORKERS, then one process serves (no cluster)', () => {
    expect(loadEnv({}).workers).toBe(1);
    expect(loadEnv({ DATABASE_URL: 'postgres://app@db/t' }).workers).toBe(1);
  });

  it('given WORKERS on PostgreSQL, then it is a count from 1 to 64, or auto: one per available core', () => {
    const postgres = { DATABASE_URL: 'postgres://app@db/t' };
    expect(loadEnv({ ...postgres, WORKERS: '4' }).workers).toBe(4);
    expect(loadEnv({ ...postgres, WORKERS: 'auto' }).workers).toBe(Math.min(availableParallelism(), 64));
    expect(() => loadEnv({ ...postgres, WORKERS: '0' })).toThrow(/WORKERS: expected at least 1/);
    expect(() => loadEnv({ ...postgres, WORKERS: '65' })).toThrow(/WORKERS: expected at most 64/);
    expect(() => loadEnv({ ...postgres, WORKERS: 'many' })).toThrow(
      /WORKERS: expected an integer from 1 to 64, or auto \(got "many"\)/,
    );
  });

  it('given the embedded database, then WORKERS above 1 (or auto) is refused: PGlite belongs to one process', () => {
    for (const workers of ['2', 'auto']) {
      expect(() => loadEnv({ WORKERS: workers })).toThrow(
        /WORKERS: several server processes need PostgreSQL/,
      );
    }
    expect(loadEnv({ WORKERS: '1' }).workers).toBe(1);
  });

  it('given bad values, then the error names every bad variable and never echoes a URL', () => {
    let message = '';
    try {
      loadEnv({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        DB_POOL_MAX: '0',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT: .*"eighty"/);
    expect(message).toMatch(/LOG_LEVEL: /);
    expect(message).toMatch(/DATABASE_URL: expected a postgres/);
    expect(message).toMatch(/DB_POOL_MAX: expected at least 1/);
    expect(message).not.toContain('hunter2');
  });

  it('given nothing about webhooks, then only public https receivers are reachable; the operator can allow local ones', () => {
    expect(loadEnv({}).webhooks).toMatchObject({ allowHttp: false, allowedAddresses: [], timeoutMs: 10_000 });
    expect(
      loadEnv({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1/32, fd00::/8,10.0.0.7' })
        .webhooks,
    ).toMatchObject({ allowHttp: true, allowedAddresses: ['127.0.0.1/32', 'fd00::/8', '10.0.0.7'] });
  });

  it('given a bad webhook address list or a lease no longer than the timeout, then the error names the variable', () => {
    expect(() => loadEnv({ WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1/33' })).toThrow(
      /WEBHOOK_ALLOWED_ADDRESSES: expected/,
    );
    expect(() => loadEnv({ WEBHOOK_ALLOWED_ADDRESSES: 'localhost' })).toThrow(/WEBHOOK_ALLOWED_ADDRESSES/);
    expect(() => loadEnv({ WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_MS: '5000' })).toThrow(
      /WEBHOOK_LEASE_MS: must exceed WEBHOOK_TIMEOUT_MS/,
    );
  });

  it('given nothing about roles, then one process serves the API and runs the background work, a worker niced to 10', () => {
    expect(loadEnv({})).toMatchObject({ role: 'all', workerNice: 10 });
  });

  it('given SERVER_ROLE and WORKER_NICE on PostgreSQL, then the process takes that role and priority', () => {
    const url = 'postgres://app@db:5432/tickets';
    expect(loadEnv({ DATABASE_URL: url, SERVER_ROLE: 'api' }).role).toBe('api');
    expect(loadEnv({ DATABASE_URL: url, SERVER_ROLE: 'worker', WORKER_NICE: '19' })).toMatchObject({
      role: 'worker',
      workerNice: 19,
    });
    expect(loadEnv({ DATABASE_URL: url, SERVER_ROLE: 'worker', WORKER_NICE: '0' }).workerNice).toBe(0);
    expect(loadEnv({ SERVER_ROLE: 'all' }).role).toBe('all');
  });

  it('given an unknown role or a niceness outside 0..19, then the error names the variable', () => {
    const url = 'postgres://app@db:5432/tickets';
    expect(() => loadEnv({ DATABASE_URL: url, SERVER_ROLE: 'workers' })).toThrow(
      /SERVER_ROLE: expected all, api or worker \(got "workers"\)/,
    );
    expect(() => loadEnv({ WORKER_NICE: '20' })).toThrow(/WORKER_NICE: expected at most 19/);
    expect(() => loadEnv({ WORKER_NICE: '-5' })).toThrow(/WORKER_NICE: expected at least 0/);
    expect(() => loadEnv({ WORKER_NICE: '2.5' })).toThrow(/WORKER_NICE: expected an integer/);
  });

  it('given the embedded database, then api and worker are refused: PGlite runs in one process', () => {
    for (const role of ['api', 'worker']) {
      expect(() => loadEnv({ SERVER_ROLE: role })).toThrow(
        new RegExp(`SERVER_ROLE: ${role} needs DATABASE_URL: the embedded database runs in one process`),
      );
    }
  });

  it('given SUPERADMIN_PASSWORD, then only the command-line configuration carries it', () => {
    expect(loadCliEnv({ SUPERADMIN_PASSWORD: 'pw-from-env' }).superadminPassword).toBe('pw-from-env');
    expect(loadEnv({ SUPERADMIN_PASSWORD: 'pw-from-env' })).not.toHaveProperty('superadminPassword');
  });
});

describe('the environment boundary', () => {
  it('given the source tree, then only env.ts, the CLI entry and test helpers read process.env', async () => {
    const offenders: string[] = [];
    for (const top of ['apps', 'packages']) {
      for (const file of await sourceFiles(join(repoRoot, top))) {
        const path = relative(repoRoot, file);
        const allowed =
          path === 'apps/server/src/env.ts' ||
          // The command-line client's entry hands the environment to its commands as a plain record.
          path === 'apps/cli/src/main.ts' ||
          // The web console's dev server (a tool, not the product): where to proxy the API.
          path === 'apps/web/vite.config.ts' ||
          /\.test\.ts$/.test(path) ||
          path.split('/').includes('testing');
        if (!allowed && (await readFile(file, 'utf8')).includes('process.env')) offenders.push(path);
      }
    }
    expect(offenders).toEqual([]);
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) ? [path] : [];
    }),
  );
  return nested.flat();
}
