import { createTicket, createWebhook, createWebhookTransport } from '@tickets/core';
import { createWorkspaceWithCast, startWebhookReceiver } from '@tickets/core/testing';
import { openTestDatabase } from '@tickets/db/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { startWebhookWorker } from './webhook-worker';

// The worker as the server runs it: its loop, the real transport, a receiver on 127.0.0.1.

const database = await openTestDatabase();
const receiver = await startWebhookReceiver();
afterAll(async () => {
  await receiver.close();
  await database.close();
});

const policy = { allowHttp: true, allowedAddresses: ['127.0.0.1/32'], resolve: async () => [] };

describe('startWebhookWorker', () => {
  it('given an endpoint, when tickets are created, then the running worker delivers each one signed, without being woken', async () => {
    const { admin, client } = await createWorkspaceWithCast(database.db);
    const { endpoint, secret } = await createWebhook(
      database.db,
      admin.actor,
      { url: receiver.url, events: ['ticket.created'], includeInternal: false, enabled: true },
      policy,
    );
    const worker = startWebhookWorker({
      db: database.db,
      logger: createLogger('silent'),
      intervalMs: 50,
      delivery: { transport: createWebhookTransport({ policy }), batchSize: 500 },
    });
    try {
      const tickets = await Promise.all(
        [1, 2, 3].map((n) =>
          createTicket(database.db, client.actor, {
            title: `Ticket ${n}`,
            description: 'For the worker.',
            category: 'general',
            priority: 'medium',
          }),
        ),
      );
      const deadline = Date.now() + 10_000;
      let rows: Array<{ status: string; messageId: string }> = [];
      while (Date.now() < deadline) {
        rows = await database.db
          .selectFrom('webhookDeliveries')
          .select(['status', 'messageId'])
          .where('endpointId', '=', endpoint.id)
          .execute();
        if (rows.length === 3 && rows.every((row) => row.status === 'delivered')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(rows.map((row) => row.status)).toEqual(['delivered', 'delivered', 'delivered']);
      const ticketIds = rows.map((row) => {
        const request = receiver.received.find((r) => r.headers['webhook-id'] === row.messageId);
        const event = new Webhook(secret).verify(request!.body, {
          'webhook-id': row.messageId,
          'webhook-timestamp': String(request!.headers['webhook-timestamp']),
          'webhook-signature': String(request!.headers['webhook-signature']),
        }) as { data: { ticketId: string } };
        return event.data.ticketId;
      });
      expect(ticketIds.sort()).toEqual(tickets.map((ticket) => ticket.id).sort());
    } finally {
      await worker.close();
    }
  });
});
