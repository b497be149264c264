import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createUser, createWorkspace, type TestUser } from '@tickets/core/testing';
import type { Database } from '@tickets/db';
import { testDatabaseUrl, testServerUrl } from '@tickets/db/testing';
import pg from 'pg';

// Shared pieces of the fault tests (pnpm test:faults): the real server process on the run's test
// database, a load of concurrent clients over HTTP, and the outage itself, made by terminating every
// backend of that one database. The PostgreSQL server is shared with other runs: it is never restarted.

const serverDir = fileURLToPath(new URL('../../..', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Every JSON log line the process wrote so far. */
  lines: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  stop(): Promise<void>;
}

export async function spawnServer(extra: Record<string, string> = {}): Promise<ServerProcess> {
  const storageDir = await mkdtemp(join(tmpdir(), 'tickets-faults-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: testDatabaseUrl(),
    STORAGE_DIR: storageDir,
    LOG_LEVEL: 'info',
    // The load runs far above the per-user budget: the tests are about outages, not throttling.
    RATE_LIMIT_PER_USER_PER_MINUTE: '1000000',
    DB_CONNECTION_TIMEOUT_MS: '2000',
    ...extra,
  };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(async ([code, signal]) => {
    await rm(storageDir, { recursive: true, force: true });
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, stderr };
  });
  const lines: Array<Record<string, unknown>> = [];
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'listening') resolve(entry.port as number);
    });
    exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    lines,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Requesters of one new workspace, each with a live session (one per load client). */
export async function createRequesters(db: Database['db'], count: number): Promise<TestUser[]> {
  const workspace = await createWorkspace(db);
  return Promise.all(
    Array.from({ length: count }, () => createUser(db, { role: 'client', workspaceId: workspace.id })),
  );
}

export interface Answer {
  route: 'trpc' | 'attachments';
  /** When the request was sent (Date.now()). */
  startedAt: number;
  status: number;
  appCode?: string;
  /** The created row's id, for a success. */
  id?: string;
}

/** One tRPC mutation over HTTP (superjson envelope); undefined when no answer came (connection refused or cut). */
export async function mutate(
  base: string,
  token: string,
  path: string,
  input: unknown,
): Promise<Answer | undefined> {
  const startedAt = Date.now();
  try {
    const response = await fetch(`${base}/trpc/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ json: input }),
    });
    const body = (await response.json()) as {
      result?: { data: { json: { id: string } } };
      error?: { json: { data: { appCode: string } } };
    };
    return {
      route: 'trpc',
      startedAt,
      status: response.status,
      id: body.result?.data.json.id,
      appCode: body.error?.json.data.appCode,
    };
  } catch {
    return undefined;
  }
}

/** A GET on the attachment route (plain HTTP, outside tRPC). */
export async function downloadAttachment(
  base: string,
  token: string,
  id: string,
): Promise<Answer | undefined> {
  const startedAt = Date.now();
  try {
    const response = await fetch(`${base}/api/attachments/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    // The one error envelope of every route (tRPC's), as on /trpc.
    const body = (await response.json()) as { error?: { json: { data: { appCode: string } } } };
    return {
      route: 'attachments',
      startedAt,
      status: response.status,
      appCode: body.error?.json.data.appCode,
    };
  } catch {
    return undefined;
  }
}

export interface LoadResult {
  answers: Answer[];
  /** Requests that got no HTTP answer at all (connection refused or cut), by when they were sent. */
  unansweredSentAt: number[];
  ticketIds: string[];
  messageIds: string[];
}

/**
 * Each requester, in a loop until `until()` says stop: create a ticket, post a message on it, ask for an
 * attachment that does not exist (the plain HTTP route's own error path). Every answer is kept.
 */
export async function runLoad(
  base: string,
  requesters: TestUser[],
  until: () => boolean,
): Promise<LoadResult> {
  const result: LoadResult = { answers: [], unansweredSentAt: [], ticketIds: [], messageIds: [] };
  const keep = async (request: Promise<Answer | undefined>) => {
    const sentAt = Date.now();
    const answer = await request;
    if (answer) result.answers.push(answer);
    else result.unansweredSentAt.push(sentAt);
    return answer;
  };
  await Promise.all(
    requesters.map(async ({ token }, client) => {
      for (let round = 0; !until(); round += 1) {
        const ticket = await keep(
          mutate(base, token, 'tickets.create', {
            title: `Load ${client}.${round}`,
            description: 'Created while the database was being cut.',
          }),
        );
        if (ticket?.status === 200 && ticket.id) {
          result.ticketIds.push(ticket.id);
          const message = await keep(
            mutate(base, token, 'messages.create', { ticketId: ticket.id, body: `Reply ${round}` }),
          );
          if (message?.status === 200 && message.id) result.messageIds.push(message.id);
        }
        await keep(downloadAttachment(base, token, crypto.randomUUID()));
      }
    }),
  );
  return result;
}

/**
 * Terminates every backend connected to the test database but the caller's, through a connection to
 * the server's maintenance database (which itself is not terminated). Returns how many it ended.
 */
export async function terminateTestDatabaseBackends(admin: pg.Client): Promise<number> {
  const name = new URL(testDatabaseUrl()).pathname.slice(1);
  const { rows } = await admin.query<{ ended: boolean }>(
    'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [name],
  );
  return rows.filter((row) => row.ended).length;
}

export async function connectAdmin(): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: testServerUrl });
  await admin.connect();
  return admin;
}

/** Polls until `check` holds; resolves with the milliseconds it took, rejects after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** How many of `ids` exist in `table`. */
export async function countExisting(
  db: Database['db'],
  table: 'tickets' | 'messages',
  ids: string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
