// The console's budgets, measured (not asserted): initial JavaScript gzip size, the queue's first page on
// screen after navigation, and request round trips per view. Prints figures; exits 1 if a budget is
// exceeded. `pnpm --filter @tickets/web budgets` (needs PostgreSQL, as the tests do, and Chromium).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { recreateTestDatabase, testDatabaseUrl } from '@tickets/db/testing';
import type { Page } from 'playwright-core';
import buildConsole from './build-console';
import {
  createSuperadmin,
  launchChromium,
  signedInClient,
  startConsoleServer,
  webDir,
} from './testing/harness';

const budgets = { initialJsGzipBytes: 200 * 1024, queueOnScreenMs: 1_000, roundTrips: 2 };
const password = 'a long enough password';
const run = Date.now().toString(36);

async function initialJavaScript() {
  const html = await readFile(join(webDir, 'dist/index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = await readFile(join(webDir, 'dist', file));
    raw += bytes.byteLength;
    gzip += gzipSync(bytes).byteLength;
  }
  return { files, raw, gzip };
}

/**
 * API round trips of a page load: a request is in round N+1 when it starts after a request of round N
 * has finished (it may have waited for it). The live notification stream never finishes and is left out.
 */
function recordRoundTrips(page: Page) {
  const requests: Array<{ url: string; start: number; end: number | null }> = [];
  const byRequest = new Map<unknown, (typeof requests)[number]>();
  page.on('request', (request) => {
    const url = request.url();
    if (!/\/(trpc|api)\//.test(url) || url.includes('onNotification')) return;
    const entry = { url, start: performance.now(), end: null };
    requests.push(entry);
    byRequest.set(request, entry);
  });
  const finished = (request: unknown) => {
    const entry = byRequest.get(request);
    if (entry) entry.end = performance.now();
  };
  page.on('requestfinished', finished);
  page.on('requestfailed', finished);
  return {
    reset: () => requests.splice(0),
    rounds(): { count: number; calls: string[] } {
      const round = new Map<(typeof requests)[number], number>();
      for (const request of [...requests].sort((a, b) => a.start - b.start)) {
        const before = requests.filter((other) => other.end !== null && other.end <= request.start);
        round.set(request, 1 + Math.max(0, ...before.map((other) => round.get(other) ?? 0)));
      }
      const calls = requests.map((request) => {
        const path = new URL(request.url).pathname.replace(/^\/trpc\//, '');
        return `${round.get(request)}: ${path}`;
      });
      return { count: Math.max(0, ...round.values()), calls };
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  await buildConsole();
  const js = await initialJavaScript();

  const dropDatabase = await recreateTestDatabase();
  const server = await startConsoleServer(testDatabaseUrl());
  const browser = await launchChromium();
  try {
    const superEmail = `budget-super-${run}@example.test`;
    await createSuperadmin(testDatabaseUrl(), superEmail, password);
    const superadmin = await signedInClient(server.url, superEmail, password);
    const workspace = await superadmin.workspaces.create.mutate({ name: 'Budgets', slug: `budgets-${run}` });
    const agentEmail = `budget-agent-${run}@example.test`;
    const requesterEmail = `budget-requester-${run}@example.test`;
    await superadmin.users.create.mutate({
      email: agentEmail,
      name: 'Ada Agent',
      password,
      role: 'support',
      workspaceId: workspace.id,
    });
    await superadmin.users.create.mutate({
      email: requesterEmail,
      name: 'Rita',
      password,
      role: 'client',
      workspaceId: workspace.id,
    });
    const requesterApi = await signedInClient(server.url, requesterEmail, password);
    const tickets = [];
    for (let index = 0; index < 60; index++) {
      tickets.push(
        await requesterApi.tickets.create.mutate({
          title: `Budget ticket ${index}`,
          description: 'Seeded for the budgets.',
        }),
      );
    }
    await requesterApi.messages.create.mutate({ ticketId: tickets[0]!.id, body: 'A first message.' });

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('E-mail').fill(agentEmail);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('table.tickets tbody tr').first().waitFor();

    // Queue on screen: a full page load of /queue (HTML, JavaScript, session check, first page),
    // measured in the page from the start of navigation to the first row in the DOM.
    const loads: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.goto(`${server.url}/queue`);
      await page.locator('table.tickets tbody tr').first().waitFor();
      loads.push(await page.evaluate(() => performance.now()));
    }
    // And navigating to it from another view of the console (no page load).
    const clicks: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.goto(`${server.url}/notifications`);
      await page.getByRole('heading', { name: 'Notifications' }).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      const started = await page.evaluate(() => performance.now());
      await page.getByRole('link', { name: 'Queue' }).click();
      await page.locator('table.tickets tbody tr').first().waitFor();
      clicks.push((await page.evaluate(() => performance.now())) - started);
    }

    const views = {
      queue: '/queue',
      ticket: `/tickets/${tickets[0]!.id}`,
      history: `/tickets/${tickets[0]!.id}/history`,
      notifications: '/notifications',
      statistics: '/stats',
      newTicket: '/tickets/new',
    };
    const recorder = recordRoundTrips(page);
    const roundTrips: Record<string, { count: number; calls: string[] }> = {};
    for (const [view, path] of Object.entries(views)) {
      recorder.reset();
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
      roundTrips[view] = recorder.rounds();
    }

    const figures = {
      initialJs: {
        files: js.files,
        rawBytes: js.raw,
        gzipBytes: js.gzip,
        budgetBytes: budgets.initialJsGzipBytes,
      },
      queueOnScreenMs: {
        pageLoadMedian: Math.round(median(loads)),
        pageLoadRuns: loads.map(Math.round),
        inAppNavigationMedian: Math.round(median(clicks)),
        inAppNavigationRuns: clicks.map(Math.round),
        budgetMs: budgets.queueOnScreenMs,
      },
      apiRoundTripsPerPageLoad: Object.fromEntries(
        Object.entries(roundTrips).map(([view, { count, calls }]) => [view, { roundTrips: count, calls }]),
      ),
    };
    console.log(JSON.stringify(figures, null, 2));
    const over = [
      js.gzip > budgets.initialJsGzipBytes && 'initial JavaScript',
      median(loads) > budgets.queueOnScreenMs && 'queue on screen',
      Object.values(roundTrips).some(({ count }) => count > budgets.roundTrips) && 'round trips',
    ].filter(Boolean);
    console.log(over.length ? `Over budget: ${over.join(', ')}` : 'Every budget holds.');
    process.exitCode = over.length ? 1 : 0;
  } finally {
    await browser.close();
    await server.stop();
    await dropDatabase();
  }
}

await main();
