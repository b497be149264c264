import { join } from 'node:path';
import type { TicketsClient } from '@tickets/client';
import { testDatabaseUrl } from '@tickets/db/testing';
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

// One journey through the console in Debian's Chromium, against the real server on PostgreSQL: a
// requester, an agent and a superadmin, each in their own browser context (their own cookies).
// The steps build on each other, in order.

const run = Date.now().toString(36);
const password = 'a long enough password';
const people = {
  superadmin: { email: `web-super-${run}@example.test`, name: 'Sam Super' },
  agent: { email: `web-agent-${run}@example.test`, name: 'Ada Agent' },
  requester: { email: `web-requester-${run}@example.test`, name: 'Rita Requester' },
};
const ticketTitle = `Printer on fire ${run}`;
const noteText = `Internal: the requester's printer is a known lemon ${run}`;
const replyText = `We have sent a technician, ${run}.`;

let server: RunningConsole;
let browser: Browser;
let superadminApi: TicketsClient;
let agentApi: TicketsClient;
const contexts: BrowserContext[] = [];
let requester: Page;
let agent: Page;
let admin: Page;
let ticketUrl = '';

async function openAs(person: { email: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const seen = watchPage(page, server.url);
  pageProblems.push(seen);
  await page.goto(`${server.url}/`);
  await page.getByLabel('E-mail').fill(person.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}
const pageProblems: string[][] = [];

async function expectAccessible(page: Page, view: string) {
  await page.screenshot({ path: join(screenshotDir, `${view}.png`), fullPage: true });
  const violations = await seriousAccessibilityViolations(page);
  expect(
    violations.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} ${JSON.stringify(violation.nodes.slice(0, 3))}`,
    ),
    `${view}: serious or critical accessibility violations`,
  ).toEqual([]);
}

beforeAll(async () => {
  const databaseUrl = testDatabaseUrl();
  server = await startConsoleServer(databaseUrl);
  await createSuperadmin(databaseUrl, people.superadmin.email, password);
  superadminApi = await signedInClient(server.url, people.superadmin.email, password);
  const workspace = await superadminApi.workspaces.create.mutate({
    name: `Acme ${run}`,
    slug: `acme-${run}`,
  });
  for (const [role, person] of [
    ['support', people.agent],
    ['client', people.requester],
  ] as const) {
    await superadminApi.users.create.mutate({ ...person, password, role, workspaceId: workspace.id });
  }
  agentApi = await signedInClient(server.url, people.agent.email, password);
  browser = await launchChromium();
});

// A failed step leaves a picture of every open page, named after the step.
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  const pages = { requester, agent, admin };
  for (const [who, page] of Object.entries(pages)) {
    await page
      ?.screenshot({ path: join(screenshotDir, `failed-${who}.png`), fullPage: true })
      .catch(() => undefined);
  }
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('the web console in a real browser', () => {
  it('given a signed-out visitor, when they open a deep link, then the sign-in page answers and is accessible', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    pageProblems.push(watchPage(page, server.url));
    await page.goto(`${server.url}/queue?status=open`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/queue?status=open');
    await page.getByLabel('E-mail').fill(people.requester.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong e-mail or password.');
    await expectAccessible(page, 'sign-in');
  });

  it('given a visitor using only the keyboard, when they sign up to a workspace that allows it, then they land on their empty ticket list with a visible focus ring on the way', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    pageProblems.push(watchPage(page, server.url));
    await page.goto(`${server.url}/sign-up?workspace=acme-${run}`);
    await page.getByLabel('Your name').waitFor();
    await page.keyboard.press('Tab'); // the workspace address, filled from the link
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      return {
        label: element.closest('label')?.textContent,
        outline: getComputedStyle(element).outlineStyle,
      };
    });
    expect(focused).toEqual({ label: 'Your name', outline: 'solid' });
    await page.keyboard.type('Walter Walk-in');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`web-walkin-${run}@example.test`);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await expectAccessible(page, 'sign-up');
    await page.keyboard.press('Enter');
    await page.getByText('You have not opened any ticket yet.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/tickets');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tickets' }).waitFor();
    await page.goto(`${server.url}/sign-up?workspace=closed-${run}`);
    await page.getByLabel('Your name').fill('Nora No-entry');
    await page.getByLabel('E-mail').fill(`web-closed-${run}@example.test`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('This workspace does not allow signing up. Ask its administrator for an account.');
  });

  it('given an agent watching the queue, when a requester opens a ticket and attaches a file, then the upload completes and the ticket appears live in the queue', async () => {
    agent = await openAs(people.agent);
    await expect.poll(() => new URL(agent.url()).pathname).toBe('/queue');
    await agent.getByText('The queue is empty').waitFor();
    await expectAccessible(agent, 'agent-queue-empty');

    requester = await openAs(people.requester);
    await expect.poll(() => new URL(requester.url()).pathname).toBe('/tickets');
    await requester.getByText('You have not opened any ticket yet.').waitFor();
    await expectAccessible(requester, 'requester-my-tickets-empty');
    await requester.getByRole('link', { name: 'New ticket' }).first().click();
    await requester.getByLabel('Title').fill(ticketTitle);
    await requester.getByLabel('What happened?').fill('It started smoking at 9 am and now there are flames.');
    await requester.getByLabel('Category').selectOption('technical');
    await expectAccessible(requester, 'requester-new-ticket');
    await requester.getByRole('button', { name: 'Open ticket' }).click();
    await requester.getByRole('heading', { name: ticketTitle }).waitFor();
    ticketUrl = requester.url();
    expect(new URL(ticketUrl).pathname).toMatch(/^\/tickets\/[0-9a-f-]{36}$/);

    await requester.getByLabel('File to attach').setInputFiles({
      name: 'smoke-report.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('smoke\n'.repeat(50_000)),
    });
    await requester.getByRole('button', { name: 'Upload' }).click();
    await requester.getByRole('button', { name: 'Download smoke-report.txt' }).waitFor();
    await expect.poll(() => requester.locator('#upload-progress').getAttribute('value')).toBe('100');
    await expectAccessible(requester, 'requester-ticket');

    // No reload: the queue shows the new ticket by itself.
    await agent.getByRole('link', { name: ticketTitle }).waitFor({ timeout: 20_000 });
    await expectAccessible(agent, 'agent-queue');
  });

  it('given the agent on the ticket, when they assign it, post an internal note and a reply, then the note is set apart from the reply', async () => {
    await agent.getByRole('link', { name: ticketTitle }).click();
    await agent.getByRole('heading', { name: ticketTitle }).waitFor();
    await agent
      .getByRole('combobox', { name: /^Assignee/ })
      .selectOption({ label: `${people.agent.name} (me)` });
    await agent.getByRole('button', { name: 'Assign' }).click();
    await expect.poll(() => agent.getByTestId('assignee').textContent()).toBe('You');

    await agent.getByLabel('Internal note (staff only)').check();
    await agent.getByLabel('Internal note', { exact: true }).fill(noteText);
    await agent.getByRole('button', { name: 'Add internal note' }).click();
    await agent.getByTestId('internal-note').filter({ hasText: noteText }).waitFor();

    await agent.getByLabel('Public reply').check();
    await agent.getByLabel('Your reply').fill(replyText);
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await agent.getByTestId('reply').filter({ hasText: replyText }).waitFor();

    const note = agent.getByTestId('internal-note').filter({ hasText: noteText });
    await expect.poll(() => note.textContent()).toContain('not visible to the requester');
    const [noteBackground, replyBackground] = await Promise.all([
      note.evaluate((element) => getComputedStyle(element).backgroundColor),
      agent
        .getByTestId('reply')
        .filter({ hasText: replyText })
        .evaluate((element) => getComputedStyle(element).backgroundColor),
    ]);
    expect(noteBackground).not.toBe(replyBackground);
    await expectAccessible(agent, 'agent-ticket');

    await agent.getByRole('link', { name: 'History' }).click();
    await agent.getByText('You took this ticket').waitFor();
    const history = await agent.locator('.history').textContent();
    expect(history).toContain(`${people.requester.name} opened this ticket`);
    expect(history).toContain('added an internal note');
    expect(history).toContain('attached smoke-report.txt');
    await expectAccessible(agent, 'agent-ticket-history');
  });

  it('given the requester on their ticket, then the reply arrives live, the internal note never shows, and the unread badge counts it', async () => {
    await requester.getByText(replyText).waitFor({ timeout: 20_000 });
    expect(await requester.content()).not.toContain(noteText);
    await expect.poll(() => requester.getByTestId('unread-count').textContent()).not.toBe('0');

    await requester.reload();
    await requester.getByText(replyText).waitFor();
    expect(await requester.content()).not.toContain(noteText);
    await requester.getByRole('link', { name: 'History' }).click();
    await requester.locator('.history').waitFor();
    expect(await requester.locator('.history').textContent()).not.toContain('internal note');

    await requester.getByRole('link', { name: /^Notifications/ }).click();
    await requester.getByRole('button', { name: 'Mark all read' }).waitFor();
    await expectAccessible(requester, 'requester-notifications');
    await requester.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => requester.getByTestId('unread-count').textContent()).toBe('0');
  });

  it('given the agent editing the ticket, when someone else changes it first, then saving shows the CONFLICT and offers the newer version', async () => {
    await agent.goto(ticketUrl);
    await agent.getByRole('button', { name: 'Edit ticket' }).click();
    await agent.getByLabel('Title', { exact: true }).fill(`${ticketTitle} (agent's title)`);

    const id = new URL(ticketUrl).pathname.split('/').pop()!;
    const current = await agentApi.tickets.get.query({ id });
    await agentApi.tickets.update.mutate({ id, expectedVersion: current.version, priority: 'high' });

    await agent.getByRole('button', { name: 'Save changes' }).click();
    const conflict = agent.getByRole('alert').filter({ hasText: 'Someone else changed this ticket' });
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('High');
    await agent.screenshot({ path: join(screenshotDir, 'agent-edit-conflict.png'), fullPage: true });

    await agent.getByRole('button', { name: 'Save mine over it' }).click();
    await agent.getByRole('heading', { name: `${ticketTitle} (agent's title)` }).waitFor();
    const saved = await agentApi.tickets.get.query({ id });
    expect(saved).toMatchObject({ title: `${ticketTitle} (agent's title)`, priority: 'high' });
  });

  it('given the agent, when they escalate and close the ticket, then the requester sees it closed, cannot reply, and reopens it', async () => {
    await agent.getByRole('button', { name: 'Escalate' }).click();
    await agent.locator('.ticket-side .badge-escalated').waitFor();
    await agent
      .getByLabel('Reason (optional, for escalate, close and reopen)')
      .fill('Solved by the technician');
    await agent.getByRole('button', { name: 'Close ticket' }).click();
    await agent.getByRole('button', { name: 'Reopen' }).waitFor();

    await requester.goto(ticketUrl);
    await requester.getByRole('heading', { name: 'This ticket is closed' }).waitFor();
    expect(await requester.getByLabel('Your reply').count()).toBe(0);
    await requester.getByRole('button', { name: 'Reopen ticket' }).click();
    await requester.getByLabel('Your reply').waitFor();
    await requester.getByRole('link', { name: 'History' }).click();
    await requester
      .getByText(`${people.requester.name}`)
      .or(requester.getByText('You reopened this'))
      .first()
      .waitFor();
    const history = await requester.locator('.history').textContent();
    expect(history).toContain('Support closed this: “Solved by the technician”');
    expect(history).toContain('You reopened this');
    await expectAccessible(requester, 'requester-ticket-history');
  });

  it('given the agent on the dashboard, then the figures and the charts render from the statistics', async () => {
    await agent.getByRole('link', { name: 'Statistics' }).click();
    await agent.locator('svg[data-chart]').first().waitFor();
    const charts = await agent.locator('svg[data-chart]').evaluateAll((svgs) =>
      svgs.map((svg) => ({
        title: svg.getAttribute('data-chart'),
        bars: svg.querySelectorAll('rect').length,
      })),
    );
    expect(charts.map((chart) => chart.title)).toEqual([
      'Tickets created and closed per day',
      'Service-level breaches per day',
      'By status',
      'By priority',
      'By category',
    ]);
    for (const chart of charts) expect(chart.bars, chart.title ?? '').toBeGreaterThan(0);
    // The journey's ticket was answered in time (the default policy): one first response met; it was
    // reopened, so its resolution is not decided yet.
    expect(await agent.getByText('First responses on target').locator('..').textContent()).toBe(
      'First responses on target100 % 1 met, 0 missed',
    );
    expect(await agent.getByText('Resolutions on target').locator('..').textContent()).toContain(
      'none decided yet',
    );
    expect(await agent.getByRole('img', { name: /By category: .*Technical 1/ }).count()).toBe(1);
    await expectAccessible(agent, 'agent-stats');
  });

  it('given the superadmin, then the users and workspaces views list what exists and are accessible', async () => {
    admin = await openAs(people.superadmin);
    await admin.getByRole('link', { name: 'Users' }).click();
    // The run's database is shared with other test files: only the first page is certain to show.
    await admin.locator('tbody tr').first().waitFor();
    await expectAccessible(admin, 'superadmin-users');
    await admin.getByRole('link', { name: 'Workspaces' }).click();
    await admin.locator('tbody tr').first().waitFor();
    await expectAccessible(admin, 'superadmin-workspaces');
  });

  it('given every page of the journey, then nothing loaded from another origin and the CSP refused nothing', () => {
    expect(pageProblems.flat()).toEqual([]);
  });
});
