import { testDatabaseUrl } from '@tickets/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../env';
import { createLogger } from '../logger';
import { type RunningServer, startServer } from '../server';

const token = 'a-metrics-token-of-some-length';
let running: RunningServer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(extra: Record<string, string> = {}) {
  const env = loadEnv({ DATABASE_URL: testDatabaseUrl(), PORT: '0', ...extra });
  running = await startServer(env, createLogger('silent'));
  return `http://127.0.0.1:${running.port}`;
}

const scrape = (base: string, authorization?: string) =>
  fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });

describe('GET /metrics', () => {
  it('given no METRICS_TOKEN, then /metrics does not exist (404)', async () => {
    const base = await start();
    expect((await scrape(base, `Bearer ${token}`)).status).toBe(404);
  });

  it('given METRICS_TOKEN, when scraped without it or with another, then 401 and no metrics', async () => {
    const base = await start({ METRICS_TOKEN: token });
    expect((await scrape(base)).status).toBe(401);
    const wrong = await scrape(base, `Bearer ${token}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('tickets_');
  });

  it('given calls that succeeded and calls that were refused, when scraped with the token, then each is counted by procedure and outcome, with latency, pool, streams and outbox', async () => {
    const base = await start({ METRICS_TOKEN: token });
    await fetch(`${base}/trpc/auth.me`);
    await fetch(`${base}/trpc/auth.me`);
    await fetch(`${base}/trpc/tickets.list`);

    const response = await scrape(base, `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('tickets_procedure_calls_total{procedure="auth.me",type="query",outcome="ok"} 2');
    expect(text).toContain(
      'tickets_procedure_calls_total{procedure="tickets.list",type="query",outcome="UNAUTHORIZED"} 1',
    );
    expect(text).toMatch(/tickets_procedure_duration_seconds_count\{procedure="auth.me",type="query"\} 2/);
    expect(text).toMatch(/tickets_db_pool_connections\{state="in_use"\} \d+/);
    expect(text).toMatch(/tickets_db_pool_connections\{state="waiting"\} 0/);
    expect(text).toMatch(/tickets_notification_streams_open 0/);
    expect(text).toMatch(/tickets_outbox_pending \d+/);
    expect(text).toMatch(/tickets_outbox_oldest_age_seconds [\d.e+-]+/);
  });
});
