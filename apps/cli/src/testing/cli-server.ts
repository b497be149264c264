import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createTestApi } from '@tickets/api/testing';
import { testDatabaseUrl } from '@tickets/db/testing';
import { createApp } from '@tickets/server';
import { createLogger, listenOnFreePort, loadEnv, startNotifications } from '@tickets/server/testing';
import type { CliContext } from '../context';
import { run } from '../run';

export type TestApi = Awaited<ReturnType<typeof createTestApi>>;

export interface TestServer {
  url: string;
  api: TestApi;
  close(): Promise<void>;
}

/**
 * A real listening server on a free port, over the test database, with the LISTEN feed that delivers
 * live notifications (what `tickets watch` streams), exactly as the production composition wires it.
 */
export async function startTestServer(): Promise<TestServer> {
  const env = loadEnv({ DATABASE_URL: testDatabaseUrl(), PORT: '0' });
  const api = await createTestApi();
  const notifications = startNotifications(env, api.db, createLogger('silent'));
  const services = { ...api.services, notificationHub: notifications.hub };
  const http = await listenOnFreePort(createApp({ services }));
  return {
    url: http.url,
    api,
    async close() {
      await notifications.close();
      await http.close();
      await api.close();
    },
  };
}

/** A fresh, empty configuration folder (XDG_CONFIG_HOME), removed by the returned cleanup. */
export async function tempConfigHome(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tickets-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line in process, with its own environment and captured output. */
export async function runTickets(
  argv: string[],
  env: CliContext['env'],
  options: { stdin?: string; signal?: AbortSignal } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    signal: options.signal,
  });
  return { code, stdout, stderr };
}

const bin = fileURLToPath(new URL('../../bin/tickets.mjs', import.meta.url));

/** The real `tickets` executable, as a child process, with exactly the environment given (plus PATH). */
export function spawnTickets(argv: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [bin, ...argv], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  return child;
}

/** Waits for a spawned CLI to end and gathers what it printed. */
export async function finished(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code: code ?? -1, stdout, stderr };
}
