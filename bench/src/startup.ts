import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp } from './server-bundle';

// Start-up as a client sees it: from spawning the built server to its first answered request, on
// PostgreSQL, and on the embedded database for a first run (which creates and migrates a new folder)
// and for later runs over that folder.

const HEALTH_PATH = '/healthz';
const ANSWER_TIMEOUT_MS = 30_000;
const POLL_MS = 5;

export interface StartupOptions {
  /** A migrated PostgreSQL database (the bench's own). */
  databaseUrl: string;
  /** Starts per case (at least 3: one start is mostly noise on a shared machine); the table shows the median. */
  repeat: number;
  /** The Node.js binary; the bench's own by default. */
  node?: string;
}

export interface StartupTimes {
  postgres: number[];
  embeddedFirst: number[];
  embeddedLater: number[];
}

export async function measureStartup({ databaseUrl, repeat, node }: StartupOptions): Promise<StartupTimes> {
  const runs = Math.max(3, repeat);
  const workDir = await mkdtemp(join(tmpdir(), 'tickets-bench-startup-'));
  const storageDir = join(workDir, 'storage');
  const timeOne = async (target: { databaseUrl: string } | { dataDir: string }) => {
    const server = await startApp(target, storageDir, { node });
    try {
      await untilAnswered(server.port);
      return performance.now() - server.spawnedAt;
    } finally {
      await server.stop();
    }
  };
  const times: StartupTimes = { postgres: [], embeddedFirst: [], embeddedLater: [] };
  try {
    for (let run = 0; run < runs; run += 1) times.postgres.push(await timeOne({ databaseUrl }));
    const dataDir = (run: number) => join(workDir, `pglite-${run}`);
    for (let run = 0; run < runs; run += 1)
      times.embeddedFirst.push(await timeOne({ dataDir: dataDir(run) }));
    for (let run = 0; run < runs; run += 1) times.embeddedLater.push(await timeOne({ dataDir: dataDir(0) }));
    return times;
  } finally {
    // maxRetries: a data directory can still be settling just after its server exited (ENOTEMPTY).
    await rm(workDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Polls the liveness route from the moment the listening line gives the port. */
async function untilAnswered(port: number): Promise<void> {
  const deadline = performance.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${HEALTH_PATH}`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not accepting yet
    }
    if (performance.now() > deadline)
      throw new Error(`no answer on ${HEALTH_PATH} after ${ANSWER_TIMEOUT_MS} ms`);
    await sleep(POLL_MS);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export function startupTable(times: StartupTimes, postgresLabel: string): string {
  const row = (label: string, values: number[]) =>
    `| ${label} | ${median(values).toFixed(0)} | ${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} |`;
  return [
    `Start-up (spawn of \`node apps/server/dist/main.js\` to the first answered GET ${HEALTH_PATH}, median of ${times.postgres.length}):`,
    '',
    '| database | ms | range |',
    '| --- | ---: | ---: |',
    row(postgresLabel, times.postgres),
    row('embedded, first run (creates and migrates)', times.embeddedFirst),
    row('embedded, later runs', times.embeddedLater),
  ].join('\n');
}
