import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import serverPackage from '../package.json' with { type: 'json' };

// A newcomer's first hour, against the real process on a new embedded database: start, follow the
// printed setup link's API call, sign in; with no stop and no restart in between.
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
let dataDir: string | undefined;

// A stand-in for the built web console (the real build is the browser tests' business): the server
// serves the console at / and at the printed /setup link, as it does by default.
const consoleIndex = '<!doctype html><html><body><div id="root"></div></body></html>';

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(join(dataDir, '..'), { recursive: true, force: true });
});

async function startOnNewDatabase() {
  const work = await mkdtemp(join(tmpdir(), 'tickets-first-hour-'));
  dataDir = join(work, 'pglite');
  const webDistDir = join(work, 'web-dist');
  await mkdir(webDistDir);
  await writeFile(join(webDistDir, 'index.html'), consoleIndex);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    WEB_DIST_DIR: webDistDir,
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const logLines: Array<Record<string, unknown>> = [];
  let stderr = '';
  const setupUrl = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      const link = /http:\/\/\S+\/setup\?token=[a-z2-7]+/.exec(stderr);
      if (link) resolve(link[0]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { child, logLines, setupUrl: await setupUrl, stderr: () => stderr };
}

const trpcPost = (base: string, path: string, json: unknown, token?: string) =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ json }),
  });

describe('the first hour on a new embedded database', () => {
  it('given a fresh DATA_DIR, when the server starts, then it prints a one-time setup link whose API call creates the first superadmin, who signs in, with no restart', async () => {
    const server = await startOnNewDatabase();
    const link = new URL(server.setupUrl);
    const base = link.origin;
    const token = link.searchParams.get('token') as string;
    // The same link is in the JSON log (for log collectors), after the `listening` line.
    await expect
      .poll(() => server.logLines.find((line) => line.msg?.toString().startsWith('first run')))
      .toMatchObject({ setupUrl: server.setupUrl });

    // The link opens the console, whose setup form makes the call below.
    const page = await fetch(server.setupUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(consoleIndex);

    const setup = await trpcPost(base, 'auth.setup', {
      token,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      password: 'a long password',
    });
    expect(setup.status).toBe(200);
    const again = await trpcPost(base, 'auth.setup', {
      token,
      email: 'eve@example.com',
      name: 'Eve',
      password: 'a long password',
    });
    expect(again.status).toBe(403);

    const signIn = await trpcPost(base, 'auth.signIn', {
      email: 'ada@example.com',
      password: 'a long password',
    });
    const session = ((await signIn.json()) as { result: { data: { json: { token: string } } } }).result.data
      .json;
    const me = await fetch(`${base}/trpc/auth.me`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(await me.json()).toMatchObject({ result: { data: { json: { role: 'superadmin' } } } });

    // Where to go next: the console, the reference and the version.
    expect(await (await fetch(`${base}/`)).text()).toBe(consoleIndex);
    const docs = await fetch(`${base}/docs`);
    expect(docs.headers.get('content-security-policy')).toContain("style-src 'self'");
    expect(await docs.text()).toContain('id="auth.setup"');
    expect((await fetch(`${base}/docs/style.css`)).headers.get('content-type')).toContain('text/css');
    expect(await (await fetch(`${base}/openapi.json`)).json()).toMatchObject({ openapi: '3.1.0' });
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({
      ok: true,
      version: serverPackage.version,
    });

    server.child.kill('SIGTERM');
    const [code] = await once(server.child, 'exit');
    expect(code).toBe(0);
    // stdout is the JSON log only: every line parsed above.
    expect(server.logLines.length).toBeGreaterThan(0);
  }, 120_000);
});
