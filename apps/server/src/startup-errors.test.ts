import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testDatabaseUrl } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainStartupFailure } from './startup-errors';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

async function startProcess(extra: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...extra };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: serverDir, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

const missingDatabaseUrl = () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = '/tickets_no_such_database';
  return url.toString();
};

let occupant: Server;
let takenPort: number;
beforeAll(async () => {
  occupant = createServer();
  occupant.listen(0, '127.0.0.1');
  await once(occupant, 'listening');
  takenPort = (occupant.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => occupant.close(() => resolve())));

describe('start-up failures the operator can fix', { timeout: 60_000 }, () => {
  it('given a port in use, then the server says so in one line, before touching the database, with no stack', async () => {
    // The database does not exist either: had the server connected first, that is what it would report.
    const result = await startProcess({
      PORT: String(takenPort),
      HOST: '127.0.0.1',
      DATABASE_URL: missingDatabaseUrl(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Failed to start: Port ${takenPort} on 127.0.0.1 is already in use (is another server running?). Stop it, or set PORT to another port (PORT=0 picks a free one).\n`,
    );
    expect(result.stdout).not.toContain('database ready');
    expect(result.stdout).not.toContain('"stack"');
  });

  it('given a DATABASE_URL naming a missing database, then the server names the createdb command, with no stack', async () => {
    const result = await startProcess({ PORT: '0', DATABASE_URL: missingDatabaseUrl() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Failed to start: The database "tickets_no_such_database" does not exist on \S+:\d+\. Create it with: createdb -h \S+ -p \d+ -U \S+ tickets_no_such_database\n$/,
    );
    const fatal = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.level === 'fatal');
    expect(fatal).toMatchObject({ msg: 'failed to start', reason: expect.stringContaining('createdb') });
    expect(fatal).not.toHaveProperty('err');
  });

  it('given an unexpected error, then there is no explanation (it is logged with its stack)', () => {
    expect(
      explainStartupFailure(new TypeError('boom'), { kind: 'postgres', url: 'postgres://x@db/app' } as never),
    ).toBeNull();
  });

  it('given a refused connection, then the explanation names the host and port', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('migration failed', { cause: refused });
    expect(
      explainStartupFailure(wrapped, {
        kind: 'postgres',
        url: 'postgres://app@db.internal:6543/tickets',
      } as never),
    ).toBe(
      'Cannot reach PostgreSQL at db.internal:6543 (ECONNREFUSED). Is it running, and is DATABASE_URL right?',
    );
  });
});
