import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// The real process, as `pnpm start` runs it: no DATABASE_URL (embedded PGlite), PORT=0.
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const startupMs = 60_000;

let dataDir: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'tickets-smoke-')), 'pglite');
});
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await rm(join(dataDir, '..'), { recursive: true, force: true });
});

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...extra,
  };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  return env;
}

function run(script: string, args: string[] = [], extra: Record<string, string> = {}) {
  // Sources through tsx; a built file (dist/*.js) as production runs it.
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, script, ...args], {
    cwd: serverDir,
    env: childEnv(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, exited };
}

async function startServer(script = 'src/main.ts') {
  const { child, exited } = run(script);
  const lines: Array<Record<string, unknown>> = [];
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'listening') resolve(entry.port as number);
    });
    exited.then(({ code, stderr }) =>
      reject(new Error(`server exited with ${code} before listening: ${stderr}`)),
    );
  });
  const port = await listening;
  return { child, exited, lines, base: `http://127.0.0.1:${port}` };
}

describe('the server process on the embedded database', () => {
  it(
    'given a fresh DATA_DIR, then it listens, answers probes and tRPC, and exits 0 on SIGTERM',
    async () => {
      const server = await startServer();
      expect(server.lines.find((line) => line.msg === 'listening')?.port).toBeGreaterThan(0);

      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
      const me = await fetch(`${server.base}/trpc/auth.me`);
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ result: { data: { json: null } } });

      server.child.kill('SIGTERM');
      const { code } = await server.exited;
      expect(code).toBe(0);
      expect(server.lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['request', 'shutting down', 'draining', 'stopped']),
      );
      expect(server.lines.find((line) => line.msg === 'request')).toMatchObject({
        method: 'GET',
        path: '/healthz',
        status: 200,
        requestId: expect.any(String),
      });
    },
    startupMs * 2,
  );

  it(
    'given a superadmin created by the command line, then a restart on the same DATA_DIR still signs them in',
    async () => {
      const created = await run(
        'src/cli/create-superadmin.ts',
        ['--email', 'Root@Example.test', '--name', 'Ada Root'],
        { SUPERADMIN_PASSWORD: 'a long enough password' },
      ).exited;
      expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining('root@example.test') });

      const server = await startServer();
      // PGlite has one writer: a second process on the same folder must refuse, not corrupt it.
      const concurrent = await run(
        'src/cli/create-superadmin.ts',
        ['--email', 'other@example.test', '--name', 'Other'],
        { SUPERADMIN_PASSWORD: 'a long enough password' },
      ).exited;
      expect(concurrent.code).toBe(1);
      expect(concurrent.stderr).toContain(`in use by process ${server.child.pid}`);

      const signIn = await fetch(`${server.base}/trpc/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { email: 'root@example.test', password: 'a long enough password' } }),
      });
      expect(signIn.status).toBe(200);
      const { token } = ((await signIn.json()) as { result: { data: { json: { token: string } } } }).result
        .data.json;
      const me = await fetch(`${server.base}/trpc/auth.me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await me.json()).toMatchObject({
        result: { data: { json: { email: 'root@example.test', role: 'superadmin', name: 'Ada Root' } } },
      });

      server.child.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    },
    startupMs * 3,
  );

  it('given a bad variable, then it exits 1 naming it, before touching any database', async () => {
    const { code, stderr } = await run('src/main.ts', [], { PORT: 'eighty' }).exited;
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
  }, 30_000);

  it(
    'given the server built into its bundle (what scripts/start.sh runs), then it starts and answers',
    async () => {
      // Every third-party module an inlined package imports must be declared by this package or inlined
      // (tsdown.config.ts): a missing one fails this build, as it would fail the README's first command.
      await promisify(execFile)(join(serverDir, 'node_modules/.bin/tsdown'), [], { cwd: serverDir });
      const server = await startServer('dist/main.js');
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
      server.child.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    },
    startupMs * 2,
  );
});
