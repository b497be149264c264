import { getPriority } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorkspaceWithCast, startWebhookReceiver } from '@tickets/core/testing';
import { createScratchDatabase } from '@tickets/db/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './faults/testing/harness';
import { type ComposedInstance, startComposedInstance } from './testing/composed-instance';

// One deployment split by SERVER_ROLE on one PostgreSQL: an `api` instance built by the production
// composition root takes the writes, a `worker` process (src/main.ts, as production starts it) delivers
// their webhooks to a real receiver on 127.0.0.1. A database of its own: a worker of any other test
// file would otherwise deliver this file's webhooks, and this file's worker theirs.

const webhookSettings = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1/32' };
/** Longer than the webhook worker's poll interval (1 s): an instance running it would have sent by then. */
const LONGER_THAN_A_POLL_MS = 2_500;

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let api: ComposedInstance;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  scratch = await createScratchDatabase('roles');
  receiver = await startWebhookReceiver();
  api = await startComposedInstance({ DATABASE_URL: scratch.url, SERVER_ROLE: 'api', ...webhookSettings });
});
afterAll(async () => {
  for (const server of processes) await server.stop();
  await api?.stop();
  await receiver?.close();
  await scratch?.drop();
});

/** One tRPC mutation on the api instance, which must answer 200. */
const call = (path: string, token: string, input: unknown) => callOn(api.url, path, token, input);

async function callOn(base: string, path: string, token: string, input: unknown) {
  const response = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: { json: Record<string, unknown> } } }).result.data
    .json;
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

describe('SERVER_ROLE', () => {
  it('given a ticket written through an api instance, then it alone never delivers the webhook; a worker process (niced) does, signed, and stops cleanly on SIGTERM', {
    timeout: 90_000,
  }, async () => {
    const { admin, client } = await createWorkspaceWithCast(api.db);
    const { endpoint, secret } = (await call('webhooks.create', admin.token, {
      url: receiver.url,
      events: ['ticket.created'],
    })) as { endpoint: { id: string }; secret: string };
    const ticket = await call('tickets.create', client.token, {
      title: 'Split roles',
      description: 'Written by the API, delivered by the worker.',
    });

    await sleep(LONGER_THAN_A_POLL_MS);
    const waiting = await api.db
      .selectFrom('webhookDeliveries')
      .select(['status', 'attempts', 'messageId'])
      .where('endpointId', '=', endpoint.id)
      .execute();
    expect(waiting).toEqual([{ status: 'pending', attempts: 0, messageId: expect.any(String) }]);
    expect(receiver.received).toEqual([]);

    const worker = await spawnServer({
      DATABASE_URL: scratch.url,
      SERVER_ROLE: 'worker',
      WORKER_NICE: '12',
      ...webhookSettings,
    });
    processes.push(worker);
    await receiver.waitFor(1, 20_000);
    const [request] = receiver.received;
    const event = new Webhook(secret).verify(request!.body, {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    }) as { type: string; data: { ticketId: string } };
    expect(event).toMatchObject({ type: 'ticket.created', data: { ticketId: ticket.id } });
    expect(request!.headers['webhook-id']).toBe(waiting[0]?.messageId);
    await until(async () => {
      const row = await api.db
        .selectFrom('webhookDeliveries')
        .select('status')
        .where('endpointId', '=', endpoint.id)
        .executeTakeFirstOrThrow();
      return row.status === 'delivered' ? row : undefined;
    });
    // A test run already niced beyond 12 cannot be raised back to it: the worker logs and stays there.
    expect(getPriority(worker.child.pid)).toBe(Math.max(12, getPriority()));
    expect(worker.lines).toContainEqual(expect.objectContaining({ msg: 'listening', role: 'worker' }));

    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    expect(worker.lines).toContainEqual(expect.objectContaining({ msg: 'stopped', outcome: 'drained' }));
  });

  it('given role all (the default), then one instance takes the write and delivers its webhook itself', async () => {
    const all = await startComposedInstance({ DATABASE_URL: scratch.url, ...webhookSettings });
    const allReceiver = await startWebhookReceiver();
    try {
      const { admin, client } = await createWorkspaceWithCast(all.db);
      await callOn(all.url, 'webhooks.create', admin.token, {
        url: allReceiver.url,
        events: ['ticket.created'],
      });
      await callOn(all.url, 'tickets.create', client.token, {
        title: 'One process',
        description: 'Both roles.',
      });
      await allReceiver.waitFor(1, 20_000);
    } finally {
      await allReceiver.close();
      await all.stop();
    }
  });

  it('given a worker process, then it answers its probes and refuses the API and the console with 404', {
    timeout: 60_000,
  }, async () => {
    const worker = await spawnServer({
      DATABASE_URL: scratch.url,
      SERVER_ROLE: 'worker',
      ...webhookSettings,
    });
    processes.push(worker);

    const health = await fetch(`${worker.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, role: 'worker' });
    expect((await fetch(`${worker.base}/readyz`)).status).toBe(200);
    for (const path of ['/trpc/tickets.list', '/trpc/auth.me', '/api/attachments/x', '/', '/metrics']) {
      const response = await fetch(`${worker.base}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({
        error: { json: { data: { appCode: 'ROUTE_NOT_FOUND' } } },
      });
    }
    const mutation = await fetch(`${worker.base}/trpc/tickets.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { title: 'Wrong door', description: 'x' } }),
    });
    expect(mutation.status).toBe(404);
  });
});
