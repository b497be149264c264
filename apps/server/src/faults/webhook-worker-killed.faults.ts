import { createWebhook } from '@tickets/core';
import { createWorkspaceWithCast, startWebhookReceiver, type WebhookReceiver } from '@tickets/core/testing';
import type { Database } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, type ServerProcess, spawnServer } from './testing/harness';

// A crash mid-delivery: the real server process is killed (SIGKILL, no drain) while its webhook worker
// waits on a receiver, and a new process takes over. Every event must still reach the receiver, signed,
// under the message id it had the first time.

const TICKETS = 5;
const webhookEnv = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1/32',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_LEASE_MS: '3000',
  WEBHOOK_RETRY_BASE_MS: '500',
};

let database: Database;
let receiver: WebhookReceiver;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  receiver = await startWebhookReceiver({ fallback: 'hang' });
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  await receiver?.close();
  await database?.close();
});

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('webhook worker killed mid-delivery', () => {
  it('given deliveries in flight to a receiver that does not answer, when the server is killed and a new one starts, then every event is delivered, signed, with its first message id', async () => {
    const { admin, client } = await createWorkspaceWithCast(database.db);
    const { endpoint, secret } = await createWebhook(
      database.db,
      admin.actor,
      { url: receiver.url, events: ['ticket.created'], includeInternal: false, enabled: true },
      { allowHttp: true, allowedAddresses: ['127.0.0.1/32'], resolve: async () => [] },
    );
    const first = await spawnServer(webhookEnv);
    servers.push(first);
    for (let index = 0; index < TICKETS; index += 1) {
      const answer = await mutate(first.base, client.token, 'tickets.create', {
        title: `Webhook ${index}`,
        description: 'Sent while the worker dies.',
      });
      expect(answer?.status).toBe(200);
    }
    await receiver.waitFor(1);

    first.child.kill('SIGKILL');
    await first.exited;
    const claimedByTheDead = await database.db
      .selectFrom('webhookDeliveries')
      .select(['messageId', 'attempts', 'status'])
      .where('endpointId', '=', endpoint.id)
      .execute();
    expect(claimedByTheDead).toHaveLength(TICKETS);
    expect(claimedByTheDead.every((row) => row.status === 'pending')).toBe(true);
    expect(claimedByTheDead.some((row) => row.attempts > 0)).toBe(true);

    receiver.setFallback(204);
    const second = await spawnServer(webhookEnv);
    servers.push(second);
    const delivered = await until(async () => {
      const rows = await database.db
        .selectFrom('webhookDeliveries')
        .select(['messageId', 'status', 'attempts'])
        .where('endpointId', '=', endpoint.id)
        .execute();
      return rows.every((row) => row.status === 'delivered') ? rows : undefined;
    }, 30_000);

    expect(delivered).toHaveLength(TICKETS);
    for (const row of delivered) {
      const requests = receiver.received.filter((request) => request.headers['webhook-id'] === row.messageId);
      expect(requests.length).toBeGreaterThanOrEqual(1);
      const last = requests.at(-1)!;
      expect(
        new Webhook(secret).verify(last.body, {
          'webhook-id': row.messageId,
          'webhook-timestamp': String(last.headers['webhook-timestamp']),
          'webhook-signature': String(last.headers['webhook-signature']),
        }),
      ).toMatchObject({ type: 'ticket.created' });
    }
    // The ones the dead worker had claimed were sent again after their lease: at least once, never lost.
    expect(delivered.some((row) => row.attempts >= 2)).toBe(true);
  });
});
