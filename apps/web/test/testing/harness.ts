import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTicketsClient, type TicketsClient } from '@tickets/client';
import { type Browser, chromium, type Page } from 'playwright-core';

const exec = promisify(execFile);
export const webDir = fileURLToPath(new URL('../..', import.meta.url));
const serverDir = join(webDir, '../server');
/** Screenshots the tests take: git-ignored, kept after the run for people to look at. */
export const screenshotDir = join(webDir, 'test-results');

export interface RunningConsole {
  url: string;
  work: string;
  /** What the server printed on stderr so far (the first-run setup link goes there). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * The real server process (as `scripts/start.sh` runs it, from sources through tsx) on this run's
 * PostgreSQL test database, serving the built console from apps/web/dist.
 */
export async function startConsoleServer(
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunningConsole> {
  const work = await mkdtemp(join(tmpdir(), 'tickets-web-test-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    STORAGE_DIR: join(work, 'storage'),
    WEB_DIST_DIR: join(webDir, 'dist'),
    LOG_LEVEL: 'info',
    // Several people sign in from 127.0.0.1 within a minute: the per-address limit is not under test here.
    RATE_LIMIT_SIGN_IN_PER_ADDRESS: '1000',
    ...extraEnv,
  };
  delete env.NODE_ENV;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'listening' && entry.port) resolve(entry.port);
    });
    once(child, 'exit').then(([code]) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    work,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(work, { recursive: true, force: true });
    },
  };
}

export async function createSuperadmin(databaseUrl: string, email: string, password: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, SUPERADMIN_PASSWORD: password };
  delete env.NODE_ENV;
  await exec(
    process.execPath,
    ['--import', 'tsx', 'src/cli/create-superadmin.ts', '--email', email, '--name', 'Sam Super'],
    {
      cwd: serverDir,
      env,
    },
  );
}

/** The SDK on Node, signed in with a bearer token: how the tests arrange data and make changes "elsewhere". */
export async function signedInClient(url: string, email: string, password: string): Promise<TicketsClient> {
  const anonymous = createTicketsClient({ url });
  const { token } = await anonymous.auth.signIn.mutate({ email, password });
  return createTicketsClient({ url, token });
}

/** Debian's Chromium, headless, in a fresh temporary profile (Playwright creates and removes it). */
export async function launchChromium(): Promise<Browser> {
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/**
 * Watches a page for what must never happen: a request to another origin (a CDN), a CSP violation,
 * an uncaught error.
 */
export function watchPage(page: Page, origin: string) {
  const problems: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      problems.push(`request to another origin: ${url}`);
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      problems.push(`CSP violation: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught error: ${error.message}`));
  return problems;
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * axe-core from node_modules, evaluated through the DevTools protocol (not a <script> tag, which the
 * console's CSP rightly refuses), then run over the whole page: the serious and critical violations.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target })),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
