import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real entry point (src/main.ts, as `pnpm dev` runs it) with WORKERS=2 on PostgreSQL, as a child
// process: a primary forking two workers. Its JSON log lines carry each process's pid, which is how the
// tests tell the workers apart.

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const startupMs = 90_000;
const metricsToken = 'cluster-test-metrics-token';

type LogLine = Record<string, unknown> & { msg?: string; pid?: number };

interface RunningProcess {
  child: ChildProcess;
  lines: LogLine[];
  stderr(): string;
  exited: Promise<number | null>;
  /** Resolves with the first log line (already seen or still to come) that matches. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

const started: ChildProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function spawnServer(variables: Record<string, string>): Promise<RunningProcess> {
  const storageDir = await mkdtemp(join(tmpdir(), 'tickets-cluster-'));
  cleanups.push(() => rm(storageDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'info',
    STORAGE_DIR: storageDir,
    ...variables,
  };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const lines: LogLine[] = [];
  const watchers = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as LogLine);
    for (const watcher of watchers) watcher();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  // 'close', not 'exit': the workers write to the same pipes, and their last lines may come after.
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(match, timeoutMs = startupMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (!found) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
  };
}

/** One GET on a connection of its own: the primary hands out connections, not requests, in turn. */
function getOnNewConnection(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(url, { agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const parentPid = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// One cluster for the whole scenario, in order: serve, aggregate metrics, survive a killed worker, stop.
describe('WORKERS=2 on PostgreSQL', () => {
  let server: RunningProcess;
  let base: string;
  let workerPids: number[];

  beforeAll(async () => {
    // A database of its own: no superadmin yet, so the first-run announcement is due (once).
    const database = await createScratchDatabase('cluster');
    cleanups.push(() => database.drop());
    server = await spawnServer({ DATABASE_URL: database.url, WORKERS: '2', METRICS_TOKEN: metricsToken });
    const ready = await server.waitFor((line) => line.msg === 'cluster listening');
    base = `http://127.0.0.1:${ready.port as number}`;
    // Each process writes its own lines: a worker's may reach the pipe after the primary's.
    const listening = () => server.lines.filter((line) => line.msg === 'listening');
    await server.waitFor(() => listening().length === 2, 10_000);
    workerPids = listening().map((line) => line.pid as number);
  }, startupMs);

  /** Whether the request log lines of both workers name this path (each process logs what it answered). */
  const answeredByBoth = (path: string) => {
    const pids = server.lines
      .filter((line) => line.msg === 'request' && line.path === path)
      .map((line) => line.pid);
    return workerPids.every((pid) => pids.includes(pid));
  };

  it('given the cluster listening, then two child processes of the primary serve the one port it reports', () => {
    expect(server.lines.find((line) => line.msg === 'cluster listening')).toMatchObject({
      pid: server.child.pid,
      port: expect.any(Number),
      workers: 2,
    });
    expect(new Set(workerPids).size).toBe(2);
    for (const pid of workerPids) expect(parentPid(pid)).toBe(server.child.pid);
    // The primary splits DB_POOL_MAX (10 by default) between them.
    expect(server.lines.find((line) => line.msg === 'starting workers')).toMatchObject({
      poolPerWorker: [5, 5],
    });
  });

  it('given a database with no superadmin, then the first-run setup link is printed once, not once per worker', async () => {
    const announced = await server.waitFor((line) => line.msg?.startsWith('first run') === true);
    expect(workerPids).toContain(announced.pid);
    // Asserted again once the cluster has stopped, when every worker has long been up.
    await expect.poll(() => server.stderr().match(/\/setup\?token=/g)).toHaveLength(1);
  });

  it('given requests on separate connections, then both workers answer them', async () => {
    for (let request = 0; request < 6; request += 1) {
      expect((await getOnNewConnection(`${base}/trpc/auth.me`)).status).toBe(200);
    }
    await server.waitFor(() => answeredByBoth('/trpc/auth.me'), 10_000);
  }, 30_000);

  it('given a scrape of /metrics, then whichever worker answers reports the calls of both', async () => {
    const authMeCalls = (text: string) =>
      Number(
        /^tickets_procedure_calls_total\{procedure="auth\.me",type="query",outcome="ok"\} (\d+)$/m.exec(
          text,
        )?.[1],
      );
    // Two scrapes on two connections: one reaches each worker, and both count all six calls.
    for (let scrape = 0; scrape < 2; scrape += 1) {
      const { status, body } = await getOnNewConnection(`${base}/metrics`, {
        authorization: `Bearer ${metricsToken}`,
      });
      expect(status).toBe(200);
      expect(authMeCalls(body)).toBe(6);
    }
    await server.waitFor(() => answeredByBoth('/metrics'), 10_000);
  }, 30_000);

  it(
    'given a worker killed, then the primary starts another and the port keeps answering',
    async () => {
      const killed = workerPids[0] as number;
      process.kill(killed, 'SIGKILL');
      await server.waitFor(
        (line) => line.msg === 'worker exited: starting another' && line.workerPid === killed,
      );
      const replaced = await server.waitFor((line) => line.msg === 'worker replaced');
      const replacement = replaced.workerPid as number;
      expect(workerPids).not.toContain(replacement);
      expect(parentPid(replacement)).toBe(server.child.pid);
      workerPids = [replacement, workerPids[1] as number];
      for (let request = 0; request < 4; request += 1) {
        expect((await getOnNewConnection(`${base}/healthz`)).status).toBe(200);
      }
    },
    startupMs,
  );

  it('given SIGTERM to the primary, then every worker drains and the primary exits 0 after them', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    for (const pid of workerPids) {
      expect(server.lines.find((line) => line.msg === 'stopped' && line.pid === pid)).toMatchObject({
        outcome: 'drained',
      });
      expect(isRunning(pid)).toBe(false);
    }
    expect(server.lines.at(-1)).toMatchObject({ pid: server.child.pid, msg: 'stopped', outcome: 'stopped' });
    expect(server.lines.filter((line) => line.msg?.startsWith('first run'))).toHaveLength(1);
    expect(server.stderr().match(/\/setup\?token=/g)).toHaveLength(1);
  }, 30_000);
});

describe('WORKERS that cannot serve', () => {
  it('given the embedded database, then WORKERS=2 is refused before anything starts', async () => {
    const server = await spawnServer({ WORKERS: '2', DATABASE_URL: '' });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('WORKERS: several server processes need PostgreSQL');
    expect(server.lines).toEqual([]);
  }, 30_000);

  it(
    'given workers that fail to start (no PostgreSQL there), then the primary exits 1 rather than restarting them',
    async () => {
      const server = await spawnServer({
        WORKERS: '2',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/tickets',
        DB_CONNECTION_TIMEOUT_MS: '2000',
      });
      expect(await server.exited).toBe(1);
      expect(server.lines.map((line) => line.msg)).toContain('a worker failed to start: stopping the others');
      expect(server.lines.map((line) => line.msg)).not.toContain('worker exited: starting another');
    },
    startupMs,
  );
});
