import { join } from 'node:path';
import { createScratchDatabase } from '@tickets/db/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  type RunningConsole,
  screenshotDir,
  seriousAccessibilityViolations,
  startConsoleServer,
  watchPage,
} from './testing/harness';

// First run in the browser: a server on a database with no superadmin prints a one-time setup link;
// the console's form at that link creates the first superadmin. Its own scratch database, since the
// run's shared one already has superadmins (and a setup token is refused once one exists).

const password = 'a long enough password';
let scratch: { url: string; drop(): Promise<void> };
let server: RunningConsole;
let browser: Browser;
let setupLink = '';

beforeAll(async () => {
  scratch = await createScratchDatabase('web_setup');
  server = await startConsoleServer(scratch.url);
  // The link is printed after `listening`, once the token is stored.
  for (let waited = 0; !setupLink && waited < 30_000; waited += 100) {
    setupLink = /\/setup\?token=[a-z2-7]+/.exec(server.stderr())?.[0] ?? '';
    if (!setupLink) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!setupLink) throw new Error(`the server printed no setup link: ${server.stderr()}`);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await scratch?.drop();
});

describe('first-run setup in a real browser', () => {
  it('given a new database with no superadmin, when the printed setup link is opened and the form is sent, then the visitor is signed in as superadmin; the link then answers SETUP_TOKEN_INVALID in words', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchPage(page, server.url);
    const token = new URL(setupLink, server.url).searchParams.get('token');
    await page.goto(`${server.url}${setupLink}`);
    await page.getByRole('heading', { name: 'Set up Tickets' }).waitFor();
    expect(await page.getByLabel('Setup token').inputValue()).toBe(token);
    await page.getByLabel('Your name').fill('Sam Setup');
    await page.getByLabel('E-mail').fill('first-admin@example.test');
    await page.getByLabel('Password').fill(password);
    await page.screenshot({ path: join(screenshotDir, 'first-run-setup.png'), fullPage: true });
    const violations = await seriousAccessibilityViolations(page);
    expect(violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
    // Keyboard: Enter in the last field sends the form.
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.locator('.who').textContent()).toContain('Sam Setup (Superadmin)');
    expect(new URL(page.url()).pathname).toBe('/queue');
    await context.close();

    // A second use of the same link, by someone else: refused, in words.
    const second = await browser.newContext();
    const other = await second.newPage();
    problems.push(...watchPage(other, server.url));
    await other.goto(`${server.url}${setupLink}`);
    await other.getByLabel('Your name').fill('Eve Late');
    await other.getByLabel('E-mail').fill('eve@example.test');
    await other.getByLabel('Password').fill(password);
    await other.getByRole('button', { name: 'Create superadmin' }).click();
    await expect
      .poll(() => other.getByRole('alert').textContent())
      .toContain('This setup link is not valid any more');
    await other.screenshot({ path: join(screenshotDir, 'first-run-setup-used.png'), fullPage: true });
    await second.close();
    expect(problems).toEqual([]);
  });
});
