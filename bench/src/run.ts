import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchOptions, readOptions } from './options';
import { cpuMicros, nodeVersion, type RunningServer, startServer } from './processes';
import { functionTable, profileTable, summariseFunctions, summariseProfile } from './profile-summary';
import { databaseUrlFor, ensureSeeded, type Fixture } from './seed';
import { buildServer, startApp } from './server-bundle';
import { measureStartup, startupTable } from './startup';
import { type BenchRequest, runWrk } from './wrk';

// `pnpm bench [--tickets N | --full] [--duration S] [--connections C] [--repeat R] [--reseed] [--no-profile]
// [--profile <case text>] [--only <case text>] [--node <path>] [--workers N]`
// Builds the server, seeds tickets_bench_<n>, starts the real server and a baseline server, puts each
// case under wrk load over loopback, and prints one table per scale (also written to bench/.out/).

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(repoRoot, 'bench/.out');
const baselineMain = join(repoRoot, 'bench/src/baseline-server.ts');

type Target = 'app' | 'baseline';
interface BenchCase {
  name: string;
  target: Target;
  requests: BenchRequest[];
}

const trpcGet = (procedure: string, token: string, input?: unknown): BenchRequest => ({
  method: 'GET',
  path:
    input === undefined
      ? `/trpc/${procedure}`
      : `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
  token,
});
const trpcPost = (procedure: string, token: string, input: unknown): BenchRequest => ({
  method: 'POST',
  path: `/trpc/${procedure}`,
  token,
  body: JSON.stringify({ json: input }),
});

function cases(fixture: Fixture): BenchCase[] {
  const { requester, support, admin } = fixture;
  const get = (path: string): BenchRequest => ({ method: 'GET', path });
  return [
    { name: 'baseline: bare Hono JSON', target: 'baseline', requests: [get('/bare')] },
    { name: 'baseline: tRPC no-op', target: 'baseline', requests: [get('/trpc/noop')] },
    {
      name: 'baseline: raw SQL list',
      target: 'baseline',
      requests: [get(`/sql/list?by=${requester.id}&ws=${fixture.workspaceId}`)],
    },
    {
      name: 'baseline: raw SQL get',
      target: 'baseline',
      requests: fixture.ticketIds.map((id) => get(`/sql/get?id=${id}`)),
    },
    {
      name: 'tickets.list (requester)',
      target: 'app',
      requests: [trpcGet('tickets.list', requester.token, {})],
    },
    {
      name: 'tickets.list (staff, filters)',
      target: 'app',
      requests: [trpcGet('tickets.list', support.token, { status: 'in_progress', priority: 'high' })],
    },
    {
      name: 'tickets.list (staff, q)',
      target: 'app',
      requests: [trpcGet('tickets.list', support.token, { q: fixture.searchWord })],
    },
    {
      name: 'tickets.get',
      target: 'app',
      requests: fixture.ticketIds.map((id) => trpcGet('tickets.get', support.token, { id })),
    },
    {
      name: 'messages.list',
      target: 'app',
      requests: fixture.threadTicketIds.map((ticketId) =>
        trpcGet('messages.list', support.token, { ticketId }),
      ),
    },
    {
      name: 'messages.create (internal note)',
      target: 'app',
      requests: fixture.threadTicketIds.map((ticketId) =>
        trpcPost('messages.create', support.token, {
          ticketId,
          body: 'Looking into it now.',
          internal: true,
        }),
      ),
    },
    // The peer-shaped write cases: a staff reply the requester sees (ticket stamped, requester
    // notified), spread over 100 open tickets, then all on one hot ticket (its row lock serialises them).
    {
      name: 'messages.create (reply, 100 tickets)',
      target: 'app',
      requests: fixture.activeTicketIds
        .slice(0, 100)
        .map((ticketId) =>
          trpcPost('messages.create', support.token, { ticketId, body: 'Looking into it now.' }),
        ),
    },
    {
      name: 'messages.create (reply, one ticket)',
      target: 'app',
      requests: fixture.activeTicketIds
        .slice(0, 1)
        .map((ticketId) =>
          trpcPost('messages.create', support.token, { ticketId, body: 'Looking into it now.' }),
        ),
    },
    {
      name: 'tickets.assign',
      target: 'app',
      requests: fixture.activeTicketIds.map((id, index) =>
        trpcPost('tickets.assign', support.token, {
          id,
          assigneeId: fixture.staffIds[index % fixture.staffIds.length],
        }),
      ),
    },
    { name: 'stats.generate', target: 'app', requests: [trpcGet('stats.generate', admin.token, {})] },
    {
      name: 'tickets.list (staff, sort sla)',
      target: 'app',
      requests: [trpcGet('tickets.list', support.token, { sort: 'sla' })],
    },
    {
      name: 'tickets.list (staff, sla breached)',
      target: 'app',
      requests: [trpcGet('tickets.list', support.token, { sla: 'breached' })],
    },
    {
      name: 'tickets.list (staff, sla due within 60 min)',
      target: 'app',
      requests: [trpcGet('tickets.list', support.token, { sla: { dueWithinMinutes: 60 }, sort: 'sla' })],
    },
    {
      name: 'notifications.unreadCount',
      target: 'app',
      requests: [trpcGet('notifications.unreadCount', requester.token)],
    },
  ];
}

interface CaseResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  errors: number;
  ratioToRawSql: number | null;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function runScale(
  fixture: Fixture,
  options: BenchOptions,
): Promise<{ results: CaseResult[]; profile: string | null }> {
  const workDir = join(outDir, `scale-${fixture.tickets}`);
  await mkdir(workDir, { recursive: true });
  const storageDir = await mkdtemp(join(tmpdir(), 'tickets-bench-storage-'));
  const servers: Record<Target, RunningServer> = {
    app: await startApp(fixture, storageDir, { node: options.node, workers: options.workers }),
    baseline: await startServer(['--import', 'tsx', baselineMain, fixture.databaseUrl], {
      cwd: join(repoRoot, 'bench'),
      env: process.env,
      node: options.node,
    }),
  };
  const results: CaseResult[] = [];
  try {
    const selected = cases(fixture).filter(
      (benchCase) =>
        options.only === null || benchCase.name.includes(options.only) || benchCase.target === 'baseline',
    );
    for (const benchCase of selected) {
      const server = servers[benchCase.target];
      const load = (durationSeconds: number) =>
        runWrk({
          port: server.port,
          requests: benchCase.requests,
          durationSeconds,
          connections: options.connections,
          workDir,
          name: benchCase.name,
        });
      await load(1); // warm-up: JIT, plan cache, connection pool
      const runs: Array<{ rps: number; p50: number; p99: number; cpu: number; errors: number }> = [];
      for (let index = 0; index < options.repeat; index += 1) {
        const cpuBefore = cpuMicros(server.pid);
        const result = await load(options.durationSeconds);
        const cpu = cpuMicros(server.pid) - cpuBefore;
        runs.push({
          rps: result.requestsPerSecond,
          p50: result.p50Ms,
          p99: result.p99Ms,
          cpu: cpu / Math.max(1, result.requests),
          errors: result.errors,
        });
      }
      const row: CaseResult = {
        name: benchCase.name,
        requestsPerSecond: median(runs.map((run) => run.rps)),
        p50Ms: median(runs.map((run) => run.p50)),
        p99Ms: median(runs.map((run) => run.p99)),
        cpuMicrosPerRequest: median(runs.map((run) => run.cpu)),
        errors: runs.reduce((sum, run) => sum + run.errors, 0),
        ratioToRawSql: null,
      };
      results.push(row);
      process.stderr.write(
        `[bench] ${fixture.tickets} ${row.name}: ${row.requestsPerSecond.toFixed(0)} req/s, p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms, ${row.cpuMicrosPerRequest.toFixed(0)} µs CPU/req, ${row.errors} errors\n`,
      );
    }
  } finally {
    await servers.app.stop();
    await servers.baseline.stop();
  }
  // A single-row read is held against the raw-SQL get, everything else against the raw-SQL list.
  const throughputOf = (name: string) => results.find((row) => row.name === name)?.requestsPerSecond;
  for (const row of results) {
    const rawSql = throughputOf(
      row.name === 'tickets.get' || row.name === 'baseline: raw SQL get'
        ? 'baseline: raw SQL get'
        : 'baseline: raw SQL list',
    );
    row.ratioToRawSql = rawSql ? row.requestsPerSecond / rawSql : null;
  }

  let profile: string | null = null;
  if (options.profile) profile = await profileRun(fixture, options, workDir, storageDir);
  await rm(storageDir, { recursive: true, force: true });
  return { results, profile };
}

/**
 * One more run with `node --cpu-prof` of the cases `--profile` names (by default the two hottest reads),
 * summarised by package and by function.
 */
async function profileRun(
  fixture: Fixture,
  options: BenchOptions,
  workDir: string,
  storageDir: string,
): Promise<string> {
  const profileDir = join(workDir, 'profile');
  await rm(profileDir, { recursive: true, force: true });
  const spawned = performance.now();
  const app = await startApp(fixture, storageDir, {
    node: options.node,
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir],
    entry: 'sources',
  });
  // Start-up (module loading under the source loader) is left out: the load is what is profiled.
  const skipMicros = (performance.now() - spawned) * 1000;
  const profiled = cases(fixture).filter((c) =>
    options.profileCases === null
      ? c.name === 'tickets.list (requester)' || c.name === 'tickets.get'
      : c.target === 'app' && c.name.includes(options.profileCases),
  );
  try {
    for (const benchCase of profiled) {
      await runWrk({
        port: app.port,
        requests: benchCase.requests,
        durationSeconds: options.durationSeconds,
        connections: options.connections,
        workDir,
        name: `profile ${benchCase.name}`,
      });
    }
  } finally {
    await app.stop();
  }
  const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return '(no profile written)';
  const path = join(profileDir, file);
  return [
    `Profiled: ${profiled.map((c) => c.name).join(', ')}`,
    profileTable(await summariseProfile(path, skipMicros)),
    functionTable(await summariseFunctions(path, skipMicros)),
  ].join('\n\n');
}

function table(results: CaseResult[]): string {
  const rows = results.map(
    (row) =>
      `| ${row.name} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50Ms.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${row.cpuMicrosPerRequest.toFixed(0)} | ${row.ratioToRawSql === null ? '' : row.ratioToRawSql.toFixed(2)} | ${row.errors} |`,
  );
  return [
    '| case | req/s | p50 ms | p99 ms | server CPU µs/req | × raw SQL | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

const options = readOptions();
await mkdir(outDir, { recursive: true });
buildServer();
const header = [
  `Run ${new Date().toISOString()} — node ${nodeVersion(options.node)}, ${cpus().length} CPUs, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM`,
  `${options.durationSeconds} s per case after a 1 s warm-up, ${options.connections} connections, wrk -t2, median of ${options.repeat} run(s)`,
  `product server: ${options.workers === 1 ? 'one process' : `WORKERS=${options.workers} (server CPU sums the primary and its workers)`}`,
].join('\n');
const sections = [header];
const all: Record<number, CaseResult[]> = {};
for (const tickets of options.scales) {
  const fixture = await ensureSeeded({
    serverUrl: options.serverUrl,
    tickets,
    force: options.reseed,
    prefix: options.databasePrefix,
  });
  const { results, profile } = await runScale(fixture, options);
  all[tickets] = results;
  sections.push(`## ${tickets.toLocaleString('en')} tickets\n\n${table(results)}`);
  if (profile) sections.push(`CPU profile, self time:\n\n${profile}`);
}
const startupTickets = options.scales[0] as number;
const startupTimes = await measureStartup({
  databaseUrl: databaseUrlFor(options.serverUrl, startupTickets, options.databasePrefix),
  repeat: options.repeat,
  node: options.node,
});
sections.push(startupTable(startupTimes, `PostgreSQL (${startupTickets.toLocaleString('en')} tickets)`));
const report = sections.join('\n\n');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
await writeFile(join(outDir, `results-${stamp}.md`), `${report}\n`);
await writeFile(
  join(outDir, `results-${stamp}.json`),
  `${JSON.stringify({ options, results: all }, null, 2)}\n`,
);
process.stdout.write(`${report}\n`);
