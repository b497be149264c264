import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTicket, createWebhook, createWebhookTransport, recordAuditEvent } from '@tickets/core';
import { createWorkspaceWithCast } from '@tickets/core/testing';
import { openTestDatabase, recreateTestDatabase, testDatabaseUrl } from '@tickets/db/testing';
import { sql } from 'kysely';
import { cpuMicros, type RunningServer, startServer } from './processes';
import { functionTable, profileTable, summariseFunctions, summariseProfile } from './profile-summary';
import { type AppOptions, buildServer, startApp } from './server-bundle';

// `pnpm --filter @tickets/bench webhooks [--events 10000] [--receiver-delay-ms 5] [--loops 4] [--batch 50]
//  [--writers 8] [--write-seconds 3] [--warm-up-seconds 1] [--repeat 1] [--worker-nice 10] [--profile]`
// Does a backlog of webhook deliveries slow ticket writes down? Everything runs as in production: the
// server's bundle in its roles (SERVER_ROLE), a receiver in a process of its own that takes
// --receiver-delay-ms per request, and ticket writes over HTTP from --writers clients.
//  1. the receiver's own throughput at the worker's concurrency (POSTs straight from the transport);
//  2. the burst: --events events enqueued with their audit rows, then delivered by a worker process
//     running --loops batches of --batch (WEBHOOK_CONCURRENCY, WEBHOOK_BATCH_SIZE) at WORKER_NICE
//     --worker-nice; its CPU per delivery (and with --profile, where it goes, from a second burst);
//  3. ticket writes per second through an `api` process: alone; beside a `worker` process delivering a
//     fresh backlog, niced and not; and through one `all` process that delivers the backlog itself.
//     Each window is --write-seconds after --warm-up-seconds; with --repeat R, the medians of R runs.
// With --split-cpus (Linux, taskset), the writes' side (this process and the api or all server) runs on
// the first half of the CPUs and the deliveries' side (the worker and the receiver) on the second half,
// PostgreSQL on any: it stands in for a worker and a receiver on machines of their own, so what is left
// between writes and deliveries is what they share through the database.
// It creates its own database (tickets_bench_webhooks) on the PostgreSQL at TEST_DATABASE_SERVER_URL.

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    'receiver-delay-ms': { type: 'string', default: '5' },
    loops: { type: 'string', default: '4' },
    batch: { type: 'string', default: '50' },
    writers: { type: 'string', default: '8' },
    'write-seconds': { type: 'string', default: '3' },
    'warm-up-seconds': { type: 'string', default: '1' },
    repeat: { type: 'string', default: '1' },
    'worker-nice': { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    'split-cpus': { type: 'boolean', default: false },
  },
});
const count = (name: keyof typeof values, min: number) => {
  const number = Number(String(values[name]).replace(/_/g, ''));
  if (!Number.isInteger(number) || number < min) throw new Error(`--${name}: expected an integer ≥ ${min}`);
  return number;
};
const events = count('events', 1);
const receiverDelayMs = count('receiver-delay-ms', 0);
const loops = count('loops', 1);
const batchSize = count('batch', 1);
const writers = count('writers', 1);
const writeSeconds = count('write-seconds', 1);
const warmUpSeconds = count('warm-up-seconds', 0);
const repeat = count('repeat', 1);
const workerNice = count('worker-nice', 0);
const profile = values.profile === true;
const splitCpus = values['split-cpus'] === true;

/** With --split-cpus, keeps `pid` (all its threads) on its side's half of the CPUs. */
function pin(pid: number, side: 'writes' | 'deliveries'): void {
  if (!splitCpus) return;
  const cpus = availableParallelism();
  const half = Math.max(1, Math.floor(cpus / 2));
  const list = side === 'writes' ? `0-${half - 1}` : `${Math.min(half, cpus - 1)}-${cpus - 1}`;
  execFileSync('taskset', ['-a', '-cp', list, String(pid)], { stdio: 'ignore' });
}
pin(process.pid, 'writes');

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const log = (message: string) => process.stderr.write(`[webhooks] ${message}\n`);

buildServer();
process.env.TEST_DATABASE_NAME = 'tickets_bench_webhooks';
const dropDatabase = await recreateTestDatabase();
const database = await openTestDatabase();
const db = database.db;
const storageDir = await mkdtemp(join(tmpdir(), 'tickets-bench-webhooks-'));
const running = new Set<RunningServer>();
// Whatever ends the bench (a failed step before the cleanup below included), no child outlives it.
process.on('exit', () => {
  for (const server of running) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function started(
  server: Promise<RunningServer>,
  side: 'writes' | 'deliveries',
): Promise<RunningServer> {
  const ready = await server;
  running.add(ready);
  pin(ready.pid, side);
  return ready;
}

async function stopped(server: RunningServer): Promise<void> {
  running.delete(server);
  await server.stop();
}

const receiver = await started(
  startServer(['--import', 'tsx', 'src/webhook-receiver.ts', String(receiverDelayMs)], {
    cwd: benchDir,
    env: process.env,
  }),
  'deliveries',
);
const receiverBase = `http://127.0.0.1:${receiver.port}`;
const policy = { allowHttp: true, allowedAddresses: ['127.0.0.1/32'], resolve: async () => [] };
const transport = createWebhookTransport({ policy });

const serverSettings = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1/32',
  WEBHOOK_CONCURRENCY: String(loops),
  WEBHOOK_BATCH_SIZE: String(batchSize),
};

/** The server's bundle in `role` on the bench database. */
function startRole(
  role: 'all' | 'api' | 'worker',
  env: Record<string, string> = {},
  options: AppOptions = {},
) {
  return started(
    startApp({ databaseUrl: testDatabaseUrl() }, storageDir, {
      ...options,
      env: { ...serverSettings, SERVER_ROLE: role, ...env },
    }),
    role === 'worker' ? 'deliveries' : 'writes',
  );
}

const cast = await createWorkspaceWithCast(db);
const ticket = await createTicket(db, cast.client.actor, {
  title: 'Bench',
  description: 'Bench ticket.',
  category: 'general',
  priority: 'medium',
});
// The burst's events are ticket.updated; the writers' own tickets enqueue a delivery each too.
await createWebhook(
  db,
  cast.admin.actor,
  {
    url: `${receiverBase}/hooks`,
    events: ['ticket.updated', 'ticket.created'],
    includeInternal: false,
    enabled: true,
  },
  policy,
);

const perSecond = (done: number, ms: number) => Math.round((done / ms) * 1000);
const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function receiverThroughput(requests: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: loops * batchSize }, async () => {
      while (next < requests) {
        next += 1;
        await transport({
          url: `${receiverBase}/hooks`,
          body: '{}',
          headers: { 'content-type': 'application/json' },
        });
      }
    }),
  );
  return perSecond(requests, performance.now() - started);
}

/** `total` ticket.updated events with their deliveries, 500 per transaction. */
async function enqueueBacklog(total: number): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < total; done += 500) {
    await db.transaction().execute(async (tx) => {
      for (let index = done; index < Math.min(total, done + 500); index += 1) {
        await recordAuditEvent(tx, {
          workspaceId: cast.workspace.id,
          ticketId: ticket.id,
          actorId: cast.admin.user.id,
          action: 'ticket.updated',
          data: { changes: { title: { from: 'a', to: `b${index}` } } },
        });
      }
    });
  }
  return perSecond(total, performance.now() - started);
}

async function deliveryCounts(): Promise<{ delivered: number; pending: number }> {
  const { rows } = await sql<{ delivered: number; pending: number }>`
    select count(*) filter (where status = 'delivered')::int as delivered,
           count(*) filter (where status = 'pending')::int as pending
    from webhook_deliveries`.execute(db);
  return rows[0] ?? { delivered: 0, pending: 0 };
}

/** Tickets created through `server`'s API by the writers for `seconds`; per second. */
async function ticketWrites(server: RunningServer, seconds: number): Promise<number> {
  let created = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        const response = await fetch(`http://127.0.0.1:${server.port}/trpc/tickets.create`, {
          method: 'POST',
          headers: { authorization: `Bearer ${cast.client.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ json: { title: 'Written during the bench', description: 'Bench.' } }),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`tickets.create answered ${response.status}: ${text}`);
        created += 1;
      }
    }),
  );
  return perSecond(created, performance.now() - started);
}

interface WriteWindow {
  writesPerSecond: number;
  deliveriesPerSecond: number;
  /** Deliveries still pending when the window ended: 0 means the backlog ran out during it. */
  backlogLeft: number;
  /** CPU used during the window, in % of one core: the process taking the writes, and the worker's. */
  apiCpuPercent: number;
  workerCpuPercent: number | null;
}

/** A warm-up, then one measured window of writes through `target` while `worker` (if any) delivers. */
async function writeWindow(target: RunningServer, worker: RunningServer | null): Promise<WriteWindow> {
  if (warmUpSeconds > 0) await ticketWrites(target, warmUpSeconds);
  const before = await deliveryCounts();
  const apiCpu = cpuMicros(target.pid);
  const workerCpu = worker && worker !== target ? cpuMicros(worker.pid) : 0;
  const started = performance.now();
  const writesPerSecond = await ticketWrites(target, writeSeconds);
  const micros = (performance.now() - started) * 1000;
  const after = await deliveryCounts();
  const percent = (used: number) => Math.round((used / micros) * 100);
  return {
    writesPerSecond,
    deliveriesPerSecond: perSecond(after.delivered - before.delivered, micros / 1000),
    backlogLeft: after.pending,
    apiCpuPercent: percent(cpuMicros(target.pid) - apiCpu),
    workerCpuPercent: worker && worker !== target ? percent(cpuMicros(worker.pid) - workerCpu) : null,
  };
}

/** Polls until nothing is pending (or `timeoutMs` passes); the delivered count and time from the call. */
async function untilDelivered(timeoutMs: number) {
  const first = await deliveryCounts();
  const started = performance.now();
  let last = first;
  while (last.pending > 0 && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await deliveryCounts();
  }
  return { delivered: last.delivered - first.delivered, ms: performance.now() - started, left: last.pending };
}

/**
 * A fresh backlog of --events delivered by a worker process from start to end. Profiled: the worker
 * runs from the sources (tsx) under --cpu-prof, so the profile names each workspace package's files;
 * its rates then carry the profiler's cost, which is why the figures come from an unprofiled burst.
 */
async function burst(profiled: boolean) {
  const enqueuePerSecond = await enqueueBacklog(events);
  const profileDir = join(storageDir, 'profile');
  const worker = await startRole(
    'worker',
    { WORKER_NICE: String(workerNice) },
    profiled ? { entry: 'sources', nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] } : {},
  );
  const startupMicros = (performance.now() - worker.spawnedAt) * 1000;
  const cpuBefore = cpuMicros(worker.pid);
  const done = await untilDelivered(10 * 60_000);
  const workerCpuMicros = cpuMicros(worker.pid) - cpuBefore;
  await stopped(worker);
  let profileTables: string | null = null;
  if (profiled) {
    const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
    const path = file ? join(profileDir, file) : null;
    profileTables = path
      ? [
          profileTable(await summariseProfile(path, startupMicros)),
          functionTable(await summariseFunctions(path, startupMicros)),
        ].join('\n\n')
      : '(no profile written)';
  }
  return {
    enqueuePerSecond,
    delivered: done.delivered,
    deliveriesPerSecond: perSecond(done.delivered, done.ms),
    undelivered: done.left,
    workerCpuMicrosPerDelivery: done.delivered > 0 ? Math.round(workerCpuMicros / done.delivered) : null,
    profileTables,
  };
}

type CaseName = 'alone' | 'besideNicedWorker' | 'besideUnnicedWorker' | 'inProcessRoleAll';

/** One run of the four write windows. The api process stays up; workers start on a fresh backlog. */
async function writeCases(api: RunningServer): Promise<Record<CaseName, WriteWindow>> {
  const alone = await writeWindow(api, null);
  const beside = async (nice: number) => {
    await enqueueBacklog(events);
    const worker = await startRole('worker', { WORKER_NICE: String(nice) });
    try {
      return await writeWindow(api, worker);
    } finally {
      await stopped(worker);
    }
  };
  const besideNicedWorker = await beside(workerNice);
  const besideUnnicedWorker = await beside(0);
  await enqueueBacklog(events);
  const all = await startRole('all');
  let inProcessRoleAll: WriteWindow;
  try {
    inProcessRoleAll = await writeWindow(all, all);
  } finally {
    await stopped(all);
  }
  return { alone, besideNicedWorker, besideUnnicedWorker, inProcessRoleAll };
}

try {
  await receiverThroughput(500); // warm-up: JIT and sockets, as the burst below finds them
  const receiverPerSecond = await receiverThroughput(Math.min(events, 2_000));
  log(`receiver: ${receiverPerSecond} requests/s at ${loops * batchSize} in flight`);
  const burstResult = await burst(false);
  log(`burst: ${burstResult.delivered} delivered at ${burstResult.deliveriesPerSecond}/s`);
  const profileTables = profile ? (await burst(true)).profileTables : null;

  const api = await startRole('api');
  const runs: Array<Record<CaseName, WriteWindow>> = [];
  for (let run = 1; run <= repeat; run += 1) {
    runs.push(await writeCases(api));
    const last = runs.at(-1) as Record<CaseName, WriteWindow>;
    log(
      `run ${run}/${repeat}: writes/s alone ${last.alone.writesPerSecond}, beside a niced worker ${last.besideNicedWorker.writesPerSecond}, beside an un-niced worker ${last.besideUnnicedWorker.writesPerSecond}, in process ${last.inProcessRoleAll.writesPerSecond}`,
    );
  }
  await stopped(api);

  const cases: CaseName[] = ['alone', 'besideNicedWorker', 'besideUnnicedWorker', 'inProcessRoleAll'];
  const medianOf = (pick: (window: WriteWindow) => number | null) =>
    Object.fromEntries(
      cases.map((name) => {
        const picked = runs.map((run) => pick(run[name])).filter((value) => value !== null);
        return [name, picked.length > 0 ? median(picked) : null];
      }),
    ) as Record<CaseName, number | null>;
  const writes = medianOf((window) => window.writesPerSecond) as Record<CaseName, number>;
  const ratio = (name: CaseName) => Math.round((writes[name] / writes.alone) * 100) / 100;
  const received = (await (await fetch(`${receiverBase}/count`)).json()) as { received: number };

  console.log(
    JSON.stringify(
      {
        settings: {
          events,
          receiverDelayMs,
          loops,
          batchSize,
          inFlight: loops * batchSize,
          writers,
          writeSeconds,
          warmUpSeconds,
          repeat,
          workerNice,
        },
        receiverRequestsPerSecond: receiverPerSecond,
        enqueueEventsPerSecond: burstResult.enqueuePerSecond,
        burst: {
          delivered: burstResult.delivered,
          deliveriesPerSecond: burstResult.deliveriesPerSecond,
          undelivered: burstResult.undelivered,
          workerCpuMicrosPerDelivery: burstResult.workerCpuMicrosPerDelivery,
        },
        ticketWritesPerSecond: writes,
        ratioToAlone: {
          besideNicedWorker: ratio('besideNicedWorker'),
          besideUnnicedWorker: ratio('besideUnnicedWorker'),
          inProcessRoleAll: ratio('inProcessRoleAll'),
        },
        deliveriesPerSecondMeanwhile: medianOf((window) => window.deliveriesPerSecond),
        backlogLeftAtEnd: medianOf((window) => window.backlogLeft),
        apiCpuPercent: medianOf((window) => window.apiCpuPercent),
        workerCpuPercent: medianOf((window) => window.workerCpuPercent),
        runs,
        receivedByReceiver: received.received,
      },
      null,
      2,
    ),
  );
  if (profileTables) {
    console.log(
      `\nA second burst's worker under --cpu-prof, by package and by function:\n\n${profileTables}`,
    );
  }
} finally {
  for (const server of [...running]) await stopped(server).catch(() => {});
  await database.close();
  await dropDatabase();
  await rm(storageDir, { recursive: true, force: true });
}
