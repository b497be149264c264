import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppServices } from '@tickets/api';
import { createLocalDiskStorage, createNotificationHub, DEFAULT_MAX_UPLOAD_BYTES } from '@tickets/core';
import type { Database } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { consoleContentSecurityPolicy } from './console';

let database: Database;
let work: string;
let distDir: string;
const indexHtml =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head></html>';

beforeAll(async () => {
  database = await openTestDatabase();
  work = await mkdtemp(join(tmpdir(), 'tickets-console-test-'));
  distDir = join(work, 'dist');
  await mkdir(join(distDir, 'assets'), { recursive: true });
  await writeFile(join(distDir, 'index.html'), indexHtml);
  await writeFile(join(distDir, 'assets', 'index-abc123.js'), 'console.log("console");');
  await writeFile(join(distDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(work, 'secret.txt'), 'outside the dist folder');
});
afterAll(async () => {
  await database.close();
  await rm(work, { recursive: true, force: true });
});

function appServing(consoleDistDir: string | undefined) {
  const services: AppServices = {
    db: database.db,
    production: true,
    secureCookies: false,
    isDatabaseReady: () => database.isReady(),
    storage: createLocalDiskStorage(join(work, 'storage')),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    notificationHub: createNotificationHub({ db: database.db }),
  };
  return createApp({ services, consoleDistDir });
}

describe('the web console served at /', () => {
  it('given a built console, when / is asked for, then index.html answers, never cached, under the console CSP', async () => {
    const response = await appServing(distDir).request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(consoleContentSecurityPolicy);
    expect(consoleContentSecurityPolicy).toContain("script-src 'self'");
    expect(consoleContentSecurityPolicy).toContain("connect-src 'self'");
    expect(consoleContentSecurityPolicy).not.toContain('unsafe-inline');
    expect(await response.text()).toBe(indexHtml);
  });

  it('given a deep link of the console, then index.html answers it (the router in the page takes over)', async () => {
    const response = await appServing(distDir).request('/tickets/0196a5e0-0000-7000-8000-000000000000');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(indexHtml);
  });

  it('given a hashed asset, then it is cached for a year as immutable, with its type', async () => {
    const response = await appServing(distDir).request('/assets/index-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log("console");');
  });

  it('given a file at the top of dist that is not hashed, then it is served and revalidated', async () => {
    const response = await appServing(distDir).request('/favicon.svg');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('given a missing hashed asset, then 404 (an old page must not get HTML as its script)', async () => {
    expect((await appServing(distDir).request('/assets/index-gone.js')).status).toBe(404);
  });

  it('given paths the API owns, then the API answers them with its own CSP, never the console page', async () => {
    const app = appServing(distDir);
    for (const path of ['/api/nope', '/trpc', '/api/attachments']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toBe(indexHtml);
    }
    const probe = await app.request('/healthz');
    expect(probe.status).toBe(200);
    expect(probe.headers.get('content-security-policy')).toContain("default-src 'none'");
    const trpc = await app.request('/trpc/auth.me');
    expect(trpc.status).toBe(200);
    expect(trpc.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('given an encoded path that climbs out of dist, then no file outside it is read', async () => {
    const app = appServing(distDir);
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const response = await app.request(path);
      expect(await response.text(), path).not.toContain('outside the dist folder');
    }
  });

  it('given no built console, when / is asked for, then a short page says how to build it (not a 404)', async () => {
    const response = await appServing(join(work, 'missing-dist')).request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('pnpm --filter @tickets/web build');
  });

  it('given a built console, when the printed first-run link /setup?token=… is opened, then the console answers it (its setup form)', async () => {
    const response = await appServing(distDir).request('/setup?token=abc234');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(consoleContentSecurityPolicy);
    expect(await response.text()).toBe(indexHtml);
  });

  it('given no console folder configured, when /setup?token=… is opened, then JSON says how to make the auth.setup call with that token', async () => {
    const response = await appServing(undefined).request('/setup?token=abc234');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      docs: '/docs#auth.setup',
      example: expect.stringContaining('"token":"abc234"'),
    });
  });

  it('given no console folder configured, then / answers the JSON index of the API (the API alone)', async () => {
    const response = await appServing(undefined).request('/');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ docs: '/docs', trpc: '/trpc' });
  });

  it("given a console, then the server's own paths are never its page (/metrics switched off stays a 404)", async () => {
    expect((await appServing(distDir).request('/metrics')).status).toBe(404);
  });
});
