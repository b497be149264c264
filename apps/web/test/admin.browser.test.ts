import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TicketsClient } from '@tickets/client';
import type { Database } from '@tickets/db';
import { openTestDatabase, testDatabaseUrl } from '@tickets/db/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSuperadmin,
  launchChromium,
  type RunningConsole,
  screenshotDir,
  seriousAccessibilityViolations,
  signedInClient,
  startConsoleServer,
  watchPage,
} from './testing/harness';

// A workspace admin in Debian's Chromium, against the real server on PostgreSQL: service levels (the
// policy, a ticket's clock, the breached queue) and webhooks (to a real receiver on 127.0.0.1, which
// the server is told to allow, as an operator would for a receiver on the same machine).

const run = Date.now().toString(36);
const password = 'a long enough password';
const people = {
  superadmin: { email: `web-admin-super-${run}@example.test`, name: 'Sam Super' },
  admin: { email: `web-admin-${run}@example.test`, name: 'Alma Admin' },
  requester: { email: `web-admin-requester-${run}@example.test`, name: 'Rolf Requester' },
};

let server: RunningConsole;
let receiver: Server;
let receiverUrl = '';
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let browser: Browser;
let context: BrowserContext;
let admin: Page;
let requesterApi: TicketsClient;
let adminApi: TicketsClient;
let database: Database;
const problems: string[][] = [];

async function expectAccessible(page: Page, view: string) {
  await page.screenshot({ path: join(screenshotDir, `${view}.png`), fullPage: true });
  const violations = await seriousAccessibilityViolations(page);
  expect(
    violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`),
    `${view}: serious or critical accessibility violations`,
  ).toEqual([]);
}

beforeAll(async () => {
  // The receiver answers 202, a code a test can tell apart from any default.
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(202).end('accepted');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/tickets`;

  const databaseUrl = testDatabaseUrl();
  server = await startConsoleServer(databaseUrl, {
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1/32',
    // The breach worker looks every second, so a due time put in the past is noticed at once.
    SLA_CHECK_INTERVAL_SECONDS: '1',
  });
  database = await openTestDatabase();
  await createSuperadmin(databaseUrl, people.superadmin.email, password);
  const superadminApi = await signedInClient(server.url, people.superadmin.email, password);
  const workspace = await superadminApi.workspaces.create.mutate({
    name: `Admin Co ${run}`,
    slug: `admin-co-${run}`,
  });
  for (const [role, person] of [
    ['admin', people.admin],
    ['client', people.requester],
  ] as const) {
    await superadminApi.users.create.mutate({ ...person, password, role, workspaceId: workspace.id });
  }
  requesterApi = await signedInClient(server.url, people.requester.email, password);
  adminApi = await signedInClient(server.url, people.admin.email, password);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  admin = await context.newPage();
  problems.push(watchPage(admin, server.url));
  await admin.goto(`${server.url}/sign-in`);
  await admin.getByLabel('E-mail').fill(people.admin.email);
  await admin.getByLabel('Password').fill(password);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.getByRole('button', { name: 'Sign out' }).waitFor();
});

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  await admin?.screenshot({ path: join(screenshotDir, 'failed-admin.png'), fullPage: true }).catch(() => {});
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await database?.close();
  receiver?.close();
});

describe('service levels in a real browser', () => {
  it('given an admin on /admin/service-levels, when they change the high priority resolution target, then a new policy version holds it', async () => {
    await admin.getByRole('link', { name: 'Service levels' }).click();
    await admin.getByRole('heading', { name: 'Targets per priority' }).waitFor();
    const field = admin.getByLabel('High resolution (minutes)');
    expect(await field.inputValue()).toBe('240');
    await field.fill('300');
    await admin.getByRole('button', { name: 'Save targets' }).click();
    await admin.getByText('Targets saved.').waitFor();
    await admin.getByText('Policy version 2').waitFor();
    const settings = await adminApi.sla.get.query({});
    expect(settings.targets.high).toEqual({ firstResponseMinutes: 60, resolutionMinutes: 300 });

    // A bad calendar is refused in words, naming the field, and changes nothing.
    await admin.getByRole('radio', { name: 'Business hours' }).check();
    await admin.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await admin.getByRole('button', { name: 'Save business hours' }).click();
    await expect
      .poll(() => admin.getByRole('alert').textContent())
      .toContain('businessHours.timeZone: expected an IANA time zone');
    expect((await adminApi.sla.get.query({})).businessHours).toBeNull();
    await expectAccessible(admin, 'admin-service-levels');
  });

  it('given a new high-priority ticket, when the admin opens it, then its clocks read as due times under the new target', async () => {
    const ticket = await requesterApi.tickets.create.mutate({
      title: `Invoices missing ${run}`,
      description: 'The December invoices are not in the portal.',
      category: 'payment',
      priority: 'high',
    });
    await admin.goto(`${server.url}/tickets/${ticket.id}`);
    const clocks = admin.getByTestId('sla');
    await clocks.waitFor();
    // 300 minutes, less the seconds since creation.
    await expect
      .poll(() => clocks.textContent())
      .toMatch(/Resolution due in 4 h 59 min|Resolution due in 5 h/);
    expect(await clocks.textContent()).toMatch(/First response due in (59 min|1 h)/);
    await expectAccessible(admin, 'admin-ticket-sla');
  });

  it('given a ticket whose due time has passed, when the worker records the breach, then the ticket says so and the queue filters breached tickets, due soonest first', async () => {
    const late = await requesterApi.tickets.create.mutate({
      title: `Late ticket ${run}`,
      description: 'Nobody answered this one in time.',
      category: 'general',
      priority: 'low',
    });
    const past = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await database.db
      .updateTable('tickets')
      .set({ slaFirstResponseDueAt: past, slaResolutionDueAt: past, slaNextDueAt: past })
      .where('id', '=', late.id)
      .execute();
    await expect
      .poll(async () => (await adminApi.tickets.get.query({ id: late.id })).sla?.resolutionBreached, {
        timeout: 20_000,
      })
      .toBe(true);

    await admin.goto(`${server.url}/tickets/${late.id}`);
    await expect.poll(() => admin.getByTestId('sla').textContent()).toContain('Resolution breached 2 h ago');

    await admin.goto(`${server.url}/queue`);
    await admin.getByRole('link', { name: `Late ticket ${run}` }).waitFor();
    await admin.getByRole('link', { name: `Invoices missing ${run}` }).waitFor();
    // The box follows the URL, which the router updates in a transition: click, then wait for the URL.
    await admin.getByLabel('Breached only').click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('sla')).toBe('breached');
    await admin.getByRole('link', { name: `Invoices missing ${run}` }).waitFor({ state: 'detached' });
    await admin.getByRole('link', { name: `Late ticket ${run}` }).waitFor();
    const rows = admin.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getByTestId('due').textContent()).toBe('Breached');
    await expectAccessible(admin, 'admin-queue-breached');

    await admin.getByLabel('Breached only').click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('sla')).toBeNull();
    // Due soonest: a critical ticket (first response in 15 min) before the high one (1 h); the breached
    // ticket has no running target left, so it comes last.
    // (Critical is for staff to set.)
    await adminApi.tickets.create.mutate({
      title: `Site down ${run}`,
      description: 'Nothing loads.',
      category: 'technical',
      priority: 'critical',
    });
    await admin.getByLabel('Sort by').selectOption('sla');
    await expect.poll(() => new URL(admin.url()).searchParams.get('sort')).toBe('sla');
    await expect
      .poll(async () => admin.locator('tbody tr td:first-child a').allTextContents(), { timeout: 15_000 })
      .toEqual([`Site down ${run}`, `Invoices missing ${run}`, `Late ticket ${run}`]);
    const due = await admin.getByTestId('due').allTextContents();
    expect(due[0]).toMatch(/^due in 1[45] min$/);
    expect(due[1]).toMatch(/^due in (59 min|1 h)$/);
    expect(due[2]).toBe('Breached');
    await admin.screenshot({ path: join(screenshotDir, 'admin-queue-due-soonest.png'), fullPage: true });
  });

  it('given the dashboard, then it shows the share of targets met and the breaches per day', async () => {
    await admin.getByRole('link', { name: 'Statistics' }).click();
    await admin.getByRole('heading', { name: 'Service levels' }).waitFor();
    // The late ticket missed both targets; nothing was met yet.
    expect(await admin.getByText('Resolutions on target').locator('..').textContent()).toContain(
      '0 met, 1 missed',
    );
    await admin.getByRole('img', { name: /Service-level breaches per day: 2 breaches/ }).waitFor();
    await expectAccessible(admin, 'admin-stats-sla');
  });
});

describe('webhooks in a real browser', () => {
  it('given an admin on /admin/webhooks, when they add an endpoint, then its secret is shown once with a copy button, and gone after', async () => {
    await admin.getByRole('link', { name: 'Webhooks' }).click();
    await admin.getByText('No endpoint yet.').waitFor();
    await expectAccessible(admin, 'admin-webhooks-empty');
    await admin.getByLabel('Endpoint URL').fill(receiverUrl);
    await admin.getByLabel('Message posted').check();
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = admin.getByTestId('webhook-secret');
    await secret.waitFor();
    expect(await secret.textContent()).toMatch(/^whsec_/);
    expect(await admin.getByRole('region', { name: 'Signing secret' }).textContent()).toContain(
      'you will not see this again',
    );
    await admin.getByRole('button', { name: 'Copy secret' }).click();
    await admin.getByText('Copied.').waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(await secret.textContent());
    await expectAccessible(admin, 'admin-webhooks-secret');
    await admin.getByRole('button', { name: 'I have stored it' }).click();
    expect(await admin.getByTestId('webhook-secret').count()).toBe(0);
    await admin.reload();
    await admin.getByTestId('webhook-endpoint').waitFor();
    expect(await admin.content()).not.toContain('whsec_');
  });

  it('given the endpoint, when the admin sends a test, then the receiver gets a signed ping, its status code shows, and the delivery is listed and can be redelivered', async () => {
    const endpoint = admin.getByTestId('webhook-endpoint').filter({ hasText: receiverUrl });
    await endpoint.getByRole('button', { name: 'Send test' }).click();
    await expect
      .poll(() => endpoint.getByTestId('test-outcome').textContent())
      .toMatch(/^Test delivered: the receiver answered 202 in \d+ ms\.$/);
    const ping = received.find((request) => request.body.includes('"webhook.ping"'));
    expect(ping?.headers['webhook-signature']).toMatch(/^v1,/);

    const deliveries = endpoint.getByTestId('webhook-delivery');
    await deliveries.first().waitFor();
    expect(await deliveries.first().textContent()).toMatch(/webhook\.pingDelivered1202\d+ ms/);
    await expectAccessible(admin, 'admin-webhooks-deliveries');

    await deliveries
      .first()
      .getByRole('button', { name: /^Redeliver/ })
      .click();
    await expect.poll(() => deliveries.count()).toBe(2);
  });

  it('given the endpoint, when the admin disables it, rotates its secret and deletes it after confirming, then each step shows', async () => {
    const endpoint = admin.getByTestId('webhook-endpoint').filter({ hasText: receiverUrl });
    await endpoint.getByRole('button', { name: 'Disable' }).click();
    await endpoint.getByText('Disabled', { exact: true }).waitFor();
    await endpoint.getByRole('button', { name: 'Enable' }).click();
    await endpoint.getByText('Enabled', { exact: true }).waitFor();

    await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    await admin.getByRole('region', { name: 'New signing secret' }).waitFor();
    expect(await admin.getByTestId('webhook-secret').textContent()).toMatch(/^whsec_/);
    await admin.getByRole('button', { name: 'I have stored it' }).click();

    await endpoint.getByRole('button', { name: 'Delete', exact: true }).click();
    await endpoint.getByText('Delete this endpoint and its delivery log?').waitFor();
    await endpoint.getByRole('button', { name: 'Cancel' }).click();
    expect(await admin.getByTestId('webhook-endpoint').count()).toBe(1);
    await endpoint.getByRole('button', { name: 'Delete', exact: true }).click();
    await endpoint.getByRole('button', { name: 'Delete endpoint' }).click();
    await admin.getByText('No endpoint yet.').waitFor();
    expect((await adminApi.webhooks.list.query({})).items).toEqual([]);
  });

  it('given an address the server may not reach, then the refusal is shown in words', async () => {
    await admin.getByLabel('Endpoint URL').fill('http://10.1.2.3/hooks');
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    await expect
      .poll(() => admin.getByRole('alert').textContent())
      .toContain('That address cannot receive webhooks');
  });

  it('given every page, then nothing loaded from another origin and the CSP refused nothing', () => {
    expect(problems.flat()).toEqual([]);
  });
});
