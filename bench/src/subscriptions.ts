import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSession } from '@tickets/core';
import { createDatabase } from '@tickets/db';
import { sql } from 'kysely';
import { readOptions } from './options';
import type { RunningServer } from './processes';
import { ensureSeeded } from './seed';
import { buildServer, startApp } from './server-bundle';

// `pnpm --filter @tickets/bench subscriptions [--tickets N] [--subscribers 1000] [--repeat 3]`
// Live notifications at scale (issue #6): opens one SSE subscription per recipient on the real server,
// measures the server's memory per open subscription, then has a staff member reply publicly on each
// recipient's ticket (CONTRACT.md §5: that notifies the ticket's creator) and times each notification from
// just before its request is sent to its arrival on the recipient's stream. Every run starts a fresh
// server; the table shows medians over the runs and the sums of lost or misrouted notifications.

const { values: flags } = parseArgs({
  options: {
    tickets: { type: 'string', default: '10000' },
    subscribers: { type: 'string', default: '1000' },
    repeat: { type: 'string', default: '3' },
  },
});
const positive = (name: string, value: string) => {
  const number = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name}: expected a positive integer`);
  return number;
};
const TICKETS = positive('tickets', flags.tickets);
const SUBSCRIBERS = positive('subscribers', flags.subscribers);
const REPEAT = positive('repeat', flags.repeat);

/** Streams opened at once while connecting: each costs the server a session check and a query. */
const OPEN_CONCURRENCY = 50;
/** Requests in flight during the burst. */
const BURST_CONCURRENCY = 16;
/** A notification received this long after its request was sent counts as late. */
const LATE_AFTER_MS = 10_000;
/** One not received this long after the scenario's last request counts as lost. */
const LOST_AFTER_MS = 30_000;
/** Open and quiet before the memory is read, so the streams' set-up work has settled. */
const IDLE_MS = 5_000;
/** Once every notification has arrived, how long to keep listening for ones that should not come. */
const GRACE_MS = 1_000;
const WARM_UP_STREAMS = 20;
/** After closing every stream, before the memory is read: the server notices the closed sockets. */
const CLOSE_WAIT_MS = 2_000;
/** Isolates the bench's recipients from the seeded workspaces that `pnpm bench` measures. */
const WORKSPACE_SLUG = 'bench-subscriptions';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(repoRoot, 'bench/.out');
const log = (message: string) => process.stderr.write(`[subscriptions] ${message}\n`);

interface Recipient {
  token: string;
  /** The one ticket this recipient created: every notification it should get is about it. */
  ticketId: string;
}

interface Audience {
  staffToken: string;
  recipients: Recipient[];
}

/** One support member and `count` requesters with one open, unassigned ticket each, in a workspace of their own. */
async function createAudience(databaseUrl: string, count: number): Promise<Audience> {
  const database = await createDatabase({ kind: 'postgres', url: databaseUrl });
  try {
    const db = database.db;
    await dropAudience(databaseUrl);
    // Nobody signs in: any stored hash will do, and hashing a thousand times would take minutes.
    const { passwordHash } = await db.selectFrom('users').select('passwordHash').executeTakeFirstOrThrow();
    const workspace = await db
      .insertInto('workspaces')
      .values({ name: 'Bench subscriptions', slug: WORKSPACE_SLUG, allowSignUp: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const staff = await db
      .insertInto('users')
      .values({
        workspaceId: workspace.id,
        email: 'support-subscriptions@bench.test',
        name: 'Subscriptions Support',
        role: 'support',
        passwordHash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into users (workspace_id, email, name, role, password_hash)
      select ${workspace.id}, format('subscriber-%s@bench.test', g), 'Subscriber ' || g, 'client', ${passwordHash}
      from generate_series(1, ${count}::int) g`.execute(db);
    // Unassigned, so a public staff reply notifies exactly one user: the creator (CONTRACT.md §5).
    const { rows: tickets } = await sql<{ id: string; createdBy: string }>`
      insert into tickets (workspace_id, title, description, created_by)
      select workspace_id, 'Live notification check for ' || name, 'Reply here to notify me.', id
      from users where workspace_id = ${workspace.id} and role = 'client'
      returning id, created_by as "createdBy"`.execute(db);
    return await db.transaction().execute(async (tx) => ({
      staffToken: (await createSession(tx, staff.id)).token,
      recipients: await Promise.all(
        tickets.map(async (ticket) => ({
          ticketId: ticket.id,
          token: (await createSession(tx, ticket.createdBy)).token,
        })),
      ),
    }));
  } finally {
    await database.close();
  }
}

/** Deleting the workspace cascades to its users, tickets, messages, notifications and sessions. */
async function dropAudience(databaseUrl: string): Promise<void> {
  const database = await createDatabase({ kind: 'postgres', url: databaseUrl });
  try {
    await database.db.deleteFrom('workspaces').where('slug', '=', WORKSPACE_SLUG).execute();
  } finally {
    await database.close();
  }
}

// The server's JS heap can only be read from inside it: this preload answers SIGUSR2 with a full GC
// (so garbage does not count) and process.memoryUsage() written to `file`.
const memoryProbe = (file: string) =>
  `data:text/javascript,${encodeURIComponent(`
import { renameSync, writeFileSync } from 'node:fs';
process.on('SIGUSR2', () => {
  globalThis.gc();
  writeFileSync(${JSON.stringify(`${file}.part`)}, JSON.stringify(process.memoryUsage()));
  renameSync(${JSON.stringify(`${file}.part`)}, ${JSON.stringify(file)});
});`)}`;

interface MemoryReading {
  rss: number;
  heapUsed: number;
}

async function readServerMemory(pid: number, file: string): Promise<MemoryReading> {
  await rm(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as MemoryReading;
    } catch {
      await sleep(20);
    }
  }
  throw new Error('the server did not answer the memory probe within 10 s');
}

/**
 * Who expects what during one scenario: each recipient has at most one notification outstanding, so
 * an event on its stream is matched by the ticket it is about.
 */
class Tally {
  readonly latenciesMs: number[] = [];
  readonly requestMs: number[] = [];
  /** Arrived, but more than LATE_AFTER_MS after the request was sent. */
  late = 0;
  /** Events about another recipient's ticket: a notification routed to the wrong stream. */
  foreign = 0;
  /** Events nobody was waiting for: the same notification twice. */
  duplicate = 0;
  private readonly waiting = new Map<number, { sentAt: number; arrived: () => void }>();

  constructor(private readonly recipients: Recipient[]) {}

  /** Never arrived (read once the scenario has settled). */
  get lost(): number {
    return this.waiting.size;
  }

  /**
   * Call just before sending the request. `arrival` resolves when it arrives, or after LATE_AFTER_MS
   * (it may still arrive later: see `settle`).
   */
  expect(index: number): { sentAt: number; arrival: Promise<void> } {
    const sentAt = performance.now();
    const arrival = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, LATE_AFTER_MS);
      this.waiting.set(index, {
        sentAt,
        arrived: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
    return { sentAt, arrival };
  }

  received(index: number, ticketId: string | undefined, receivedAt: number): void {
    if (ticketId !== this.recipients[index]?.ticketId) {
      this.foreign += 1;
      return;
    }
    const waiting = this.waiting.get(index);
    if (!waiting) {
      this.duplicate += 1;
      return;
    }
    this.waiting.delete(index);
    const latency = receivedAt - waiting.sentAt;
    this.latenciesMs.push(latency);
    if (latency > LATE_AFTER_MS) this.late += 1;
    waiting.arrived();
  }

  /** Waits until every expected notification has arrived or `ms` have passed, then a little longer for duplicates. */
  async settle(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (this.waiting.size > 0 && performance.now() < deadline) await sleep(50);
    await sleep(GRACE_MS);
  }
}

interface Stream {
  close(): void;
}

/**
 * One `notifications.onNotification` subscription over plain node:http, read as tRPC writes its SSE
 * frames (`event:`/`data:`/`id:` lines, `\n` endings, a blank line after each frame). Resolves once the
 * server's `connected` frame arrives.
 */
function openStream(
  port: number,
  token: string,
  handlers: { onNotification(ticketId: string | undefined, receivedAt: number): void; onEnd(): void },
): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const call = request({
      host: '127.0.0.1',
      port,
      path: '/trpc/notifications.onNotification',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      agent: false,
    });
    let closing = false;
    const stream: Stream = {
      close: () => {
        closing = true;
        call.destroy();
      },
    };
    call.on('error', (error) => {
      if (!closing) reject(error);
    });
    call.on('response', (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`onNotification answered ${response.statusCode}`));
        response.resume();
        return;
      }
      response.setEncoding('utf8');
      let connected = false;
      let buffer = '';
      response.on('data', (chunk: string) => {
        const receivedAt = performance.now();
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trimStart();
          }
          if (event === 'connected') {
            connected = true;
            resolve(stream);
          } else if (event === 'message') {
            const payload = JSON.parse(data) as { json?: { ticketId?: string } };
            handlers.onNotification(payload.json?.ticketId, receivedAt);
          } else if (event === 'serialized-error') log(`stream error frame: ${data}`);
        }
      });
      response.on('close', () => {
        if (!connected) reject(new Error('onNotification ended before its connected frame'));
        else if (!closing) handlers.onEnd();
      });
    });
    call.end();
  });
}

/** Runs `work` over `count` indexes with at most `concurrency` at a time. */
async function pool(count: number, concurrency: number, work: (index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** A public staff reply on the recipient's ticket: CONTRACT.md §5 notifies the ticket's creator of it. */
async function reply(port: number, staffToken: string, ticketId: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/trpc/messages.create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: { ticketId, body: 'We are looking into it.' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`messages.create answered ${response.status}: ${text}`);
}

/** Opens a stream per recipient (routing its events into whichever tally is current). */
async function openStreams(port: number, recipients: Recipient[], route: () => Tally) {
  const streams: Stream[] = new Array(recipients.length);
  let ended = 0;
  await pool(recipients.length, OPEN_CONCURRENCY, async (index) => {
    streams[index] = await openStream(port, (recipients[index] as Recipient).token, {
      onNotification: (ticketId, receivedAt) => route().received(index, ticketId, receivedAt),
      onEnd: () => {
        ended += 1;
      },
    });
  });
  return {
    /** Streams the server ended while they should have stayed open. */
    ended: () => ended,
    close: () => {
      for (const stream of streams) stream.close();
    },
  };
}

/** One action at a time: each reply is sent once the previous notification has arrived. */
async function trickle(port: number, audience: Audience, tally: Tally) {
  for (const [index, recipient] of audience.recipients.entries()) {
    const { sentAt, arrival } = tally.expect(index);
    await reply(port, audience.staffToken, recipient.ticketId);
    tally.requestMs.push(performance.now() - sentAt);
    await arrival;
  }
}

/** Every recipient at once, BURST_CONCURRENCY requests in flight. */
async function burst(port: number, audience: Audience, tally: Tally) {
  await pool(audience.recipients.length, BURST_CONCURRENCY, async (index) => {
    const { sentAt } = tally.expect(index);
    await reply(port, audience.staffToken, (audience.recipients[index] as Recipient).ticketId);
    tally.requestMs.push(performance.now() - sentAt);
  });
}

interface RunResult {
  openSeconds: number;
  rssPerStream: number;
  heapPerStream: number;
  /** Heap held after a second cycle of opening, notifying and closing every stream, against after the first. */
  heapKeptByCycle: number;
  endedStreams: number;
  scenarios: Record<'trickle' | 'burst', Tally>;
}

async function measureOnce(
  server: RunningServer,
  audience: Audience,
  memoryFile: string,
): Promise<RunResult> {
  const { port, pid } = server;
  const count = audience.recipients.length;
  let current = new Tally(audience.recipients);
  const route = () => current;

  // Warm-up: the first streams and replies compile code paths once, which is no per-stream cost. It
  // stays small: RSS is read on the first full opening, before the heap has grown and been kept once.
  const warmUp = { ...audience, recipients: audience.recipients.slice(0, WARM_UP_STREAMS) };
  const warmStreams = await openStreams(port, warmUp.recipients, route);
  await trickle(port, warmUp, current);
  await current.settle(LOST_AFTER_MS);
  warmStreams.close();
  await sleep(1_000);

  const before = await readServerMemory(pid, memoryFile);
  const opening = performance.now();
  const streams = await openStreams(port, audience.recipients, route);
  const openSeconds = (performance.now() - opening) / 1000;
  await sleep(IDLE_MS);
  const open = await readServerMemory(pid, memoryFile);

  const scenarios = { trickle: new Tally(audience.recipients), burst: new Tally(audience.recipients) };
  current = scenarios.trickle;
  await trickle(port, audience, current);
  await current.settle(LOST_AFTER_MS);
  current = scenarios.burst;
  await burst(port, audience, current);
  await current.settle(LOST_AFTER_MS);
  streams.close();
  await sleep(CLOSE_WAIT_MS);
  const firstCycle = await readServerMemory(pid, memoryFile);

  // The first cycle leaves some heap behind for good (grown tables, compiled code); a second one must
  // not add to it, or every connection leaks.
  current = new Tally(audience.recipients);
  const again = await openStreams(port, audience.recipients, route);
  await burst(port, audience, current);
  await current.settle(LOST_AFTER_MS);
  again.close();
  await sleep(CLOSE_WAIT_MS);
  const secondCycle = await readServerMemory(pid, memoryFile);
  return {
    openSeconds,
    rssPerStream: (open.rss - before.rss) / count,
    heapPerStream: (open.heapUsed - before.heapUsed) / count,
    heapKeptByCycle: secondCycle.heapUsed - firstCycle.heapUsed,
    endedStreams: streams.ended() + again.ended(),
    scenarios,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
/** Nearest rank: the value at or below which `p` of the samples fall. */
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
};

const latencyFigures = (tally: Tally) => ({
  p50: percentile(tally.latenciesMs, 0.5),
  p99: percentile(tally.latenciesMs, 0.99),
  max: Math.max(...tally.latenciesMs),
  requestP50: percentile(tally.requestMs, 0.5),
});

function describeRun(run: RunResult): string {
  const scenario = (name: string, tally: Tally) => {
    const figures = latencyFigures(tally);
    return (
      `${name} p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, max ${figures.max.toFixed(1)} ms ` +
      `(request p50 ${figures.requestP50.toFixed(1)} ms), lost ${tally.lost}, late ${tally.late}, ` +
      `foreign ${tally.foreign}, duplicate ${tally.duplicate}`
    );
  };
  return [
    `open ${run.openSeconds.toFixed(2)} s`,
    `${(run.rssPerStream / 1024).toFixed(1)} KiB RSS and ${(run.heapPerStream / 1024).toFixed(1)} KiB heap per stream`,
    `heap kept by a second cycle ${(run.heapKeptByCycle / 1024).toFixed(0)} KiB`,
    `${run.endedStreams} streams ended by the server`,
    scenario('trickle', run.scenarios.trickle),
    scenario('burst', run.scenarios.burst),
  ].join('; ');
}

function table(runs: RunResult[]): string {
  const mid = (pick: (run: RunResult) => number) => median(runs.map(pick));
  const sum = (pick: (run: RunResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const kib = (pick: (run: RunResult) => number) => (mid(pick) / 1024).toFixed(1);
  const memory = [
    '| open subscriptions | time to open all (s) | server RSS per subscription (KiB) | server JS heap per subscription (KiB) | heap kept by a second open/notify/close cycle (KiB, total) | streams ended by the server |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${SUBSCRIBERS} | ${mid((run) => run.openSeconds).toFixed(2)} | ${kib((run) => run.rssPerStream)} | ${kib((run) => run.heapPerStream)} | ${kib((run) => run.heapKeptByCycle)} | ${sum((run) => run.endedStreams)} |`,
  ];
  const row = (name: 'trickle' | 'burst', label: string) => {
    const tally = (run: RunResult) => run.scenarios[name];
    const ms = (pick: (figures: ReturnType<typeof latencyFigures>) => number) =>
      mid((run) => pick(latencyFigures(tally(run)))).toFixed(1);
    const cells = [
      label,
      ms((f) => f.p50),
      ms((f) => f.p99),
      ms((f) => f.max),
      ms((f) => f.requestP50),
      sum((run) => tally(run).lost),
      sum((run) => tally(run).late),
      sum((run) => tally(run).foreign + tally(run).duplicate),
    ];
    return `| ${cells.join(' | ')} |`;
  };
  const latency = [
    `| ${SUBSCRIBERS} notifications per scenario and run | delivery p50 (ms) | delivery p99 (ms) | delivery max (ms) | reply request p50 (ms) | lost | later than ${LATE_AFTER_MS / 1000} s | misrouted or duplicate |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('trickle', 'trickle: one reply at a time'),
    row('burst', `burst: one reply per subscriber, ${BURST_CONCURRENCY} in flight`),
  ];
  return [
    `Live notifications: ${SUBSCRIBERS} SSE subscriptions on one server instance, bench database of ${TICKETS} tickets. ` +
      `Medians of ${REPEAT} runs (a fresh server each); lost, late and misrouted are sums over the runs.`,
    '',
    ...memory,
    '',
    ...latency,
  ].join('\n');
}

const { serverUrl } = readOptions([]);
const fixture = await ensureSeeded({ serverUrl, tickets: TICKETS });
buildServer();
log(`creating ${SUBSCRIBERS} recipients with a ticket and a session each`);
const audience = await createAudience(fixture.databaseUrl, SUBSCRIBERS);
const work = await mkdtemp(join(tmpdir(), 'tickets-bench-subscriptions-'));
const memoryFile = join(work, 'memory.json');
try {
  const runs: RunResult[] = [];
  for (let index = 0; index < REPEAT; index += 1) {
    const server = await startApp(fixture, join(work, 'storage'), {
      nodeArgs: ['--expose-gc', '--import', memoryProbe(memoryFile)],
    });
    try {
      const run = await measureOnce(server, audience, memoryFile);
      runs.push(run);
      log(`run ${index + 1}/${REPEAT}: ${describeRun(run)}`);
    } finally {
      await server.stop();
    }
  }
  const result = table(runs);
  process.stdout.write(`${result}\n`);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, `subscriptions-${SUBSCRIBERS}.md`), `${result}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
  await dropAudience(fixture.databaseUrl);
}
