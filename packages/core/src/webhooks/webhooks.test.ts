import type { Database } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessage } from '../messages/create-message';
import { createWorkspaceWithCast, startWebhookReceiver, type WebhookReceiver } from '../testing';
import { createTicket } from '../tickets/create-ticket';
import { updateTicket } from '../tickets/update-ticket';
import type { WebhookAddressPolicy } from './address-policy';
import { deliverWebhookBatch, type WebhookDeliveryOptions } from './deliver';
import { createWebhook, rotateWebhookSecret } from './endpoints';
import type { WebhookEventType } from './events';
import { createWebhookTransport } from './transport';

// Delivery end to end: events written by the real services, the real transport, a real HTTP receiver
// on 127.0.0.1 (allowed by the operator setting, as in development), the real test database.

let database: Database;
let receiver: WebhookReceiver;
beforeAll(async () => {
  database = await openTestDatabase();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await database?.close();
});
const db = () => database.db;

/** `receiver.test` resolves to the local receiver; nothing else resolves. */
const localPolicy: WebhookAddressPolicy = {
  allowHttp: true,
  allowedAddresses: ['127.0.0.1/32'],
  resolve: async (host) => {
    if (host === 'receiver.test') return [{ address: '127.0.0.1', family: 4 }];
    throw new Error(`ENOTFOUND ${host}`);
  },
};
const transport = createWebhookTransport({ policy: localPolicy, timeoutMs: 500 });
// Other test files' endpoints may have due rows too: batches are large enough to reach this file's.
const BATCH = 500;
const options = (extra: Partial<WebhookDeliveryOptions> = {}): WebhookDeliveryOptions => ({
  transport,
  batchSize: BATCH,
  leaseMs: 5_000,
  backoff: { baseMs: 1_000, maxMs: 60_000 },
  random: () => 0.5,
  ...extra,
});
const at = (ms: number) => () => new Date(Date.now() + ms);

async function setUp(
  events: WebhookEventType[] = ['ticket.created'],
  extra: { includeInternal?: boolean; url?: string } = {},
) {
  const cast = await createWorkspaceWithCast(db());
  const { endpoint, secret } = await createWebhook(
    db(),
    cast.admin.actor,
    {
      url: extra.url ?? `http://receiver.test:${receiver.port}/hooks`,
      events,
      includeInternal: extra.includeInternal ?? false,
      enabled: true,
    },
    localPolicy,
  );
  return { ...cast, endpoint, secret };
}

const deliveriesOf = (endpointId: string) =>
  db()
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('endpointId', '=', endpointId)
    .orderBy('createdAt')
    .execute();

const requestsFor = (messageId: string) =>
  receiver.received.filter((request) => request.headers['webhook-id'] === messageId);

const newTicket = (actor: Parameters<typeof createTicket>[1]) =>
  createTicket(db(), actor, {
    title: 'Printer on fire',
    description: 'It is on fire.',
    category: 'general',
    priority: 'medium',
  });

describe('enqueueing with the event', () => {
  it('given an endpoint subscribed to ticket.created, when a ticket is created, then one pending delivery with the event ids is written in the same transaction', async () => {
    const { client, endpoint } = await setUp();
    const ticket = await newTicket(client.actor);

    const [delivery, ...others] = await deliveriesOf(endpoint.id);
    expect(others).toEqual([]);
    expect(delivery).toMatchObject({ status: 'pending', eventType: 'ticket.created', attempts: 0 });
    expect(delivery?.messageId).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(delivery?.payload).toMatchObject({
      type: 'ticket.created',
      data: { ticketId: ticket.id, actorId: client.user.id, internal: false, title: 'Printer on fire' },
    });
  });

  it('given an endpoint, when the transaction that wrote the event rolls back, then no delivery remains', async () => {
    const { client, endpoint } = await setUp();
    await expect(
      db()
        .transaction()
        .execute(async (tx) => {
          await newTicketOn(tx, client.actor);
          throw new Error('rolled back');
        }),
    ).rejects.toThrow('rolled back');
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
  });

  it('given an endpoint not opted in to internal events, when staff post an internal note, then it gets nothing, while an opted-in endpoint gets the ids and never the text', async () => {
    const { client, support, superadmin, workspace, endpoint: publicOnly } = await setUp(['message.created']);
    const { endpoint: internalToo } = await createWebhook(
      db(),
      superadmin.actor,
      {
        workspaceId: workspace.id,
        url: `http://receiver.test:${receiver.port}/internal`,
        events: ['message.created'],
        includeInternal: true,
        enabled: true,
      },
      localPolicy,
    );
    const ticket = await newTicket(client.actor);
    const note = await createMessage(db(), support.actor, {
      ticketId: ticket.id,
      body: 'The customer is lying, do not refund',
      internal: true,
    });

    expect(await deliveriesOf(publicOnly.id)).toEqual([]);
    const [delivery] = await deliveriesOf(internalToo.id);
    expect(delivery?.payload).toMatchObject({
      type: 'message.created',
      data: { messageId: note.id, internal: true, ticketId: ticket.id },
    });
    expect(JSON.stringify(delivery?.payload)).not.toContain('lying');
  });

  it('given an endpoint subscribed to other events, or disabled, when a ticket is created, then it gets nothing', async () => {
    const { client, endpoint } = await setUp(['ticket.closed']);
    const { endpoint: disabled } = await setUp(['ticket.created']);
    await db()
      .updateTable('webhookEndpoints')
      .set({ enabled: false })
      .where('id', '=', disabled.id)
      .execute();
    await newTicket(client.actor);
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
    expect(await deliveriesOf(disabled.id)).toEqual([]);
  });
});

describe('text the JSON of a payload cannot carry', () => {
  it('given a new title with a lone surrogate, when staff update the ticket, then the audit event and the delivery carry U+FFFD, as the ticket row does', async () => {
    const { client, support, endpoint } = await setUp(['ticket.updated']);
    const ticket = await newTicket(client.actor);
    const updated = await updateTicket(db(), support.actor, { id: ticket.id, title: 'broken \uD800 title' });

    expect(updated.title).toBe('broken \uFFFD title');
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery?.payload).toMatchObject({
      data: { changes: { title: { to: 'broken \uFFFD title' } } },
    });
  });
});

async function newTicketOn(
  tx: Parameters<typeof createTicket>[0],
  actor: Parameters<typeof createTicket>[1],
) {
  return createTicket(tx, actor, {
    title: 'Rolled back',
    description: 'Never committed.',
    category: 'general',
    priority: 'medium',
  });
}

describe('delivering', () => {
  it('given a pending delivery, when the worker runs, then the receiver gets a POST that the standardwebhooks verifier accepts, and the delivery records status, attempts, latency and response code', async () => {
    const { client, endpoint, secret } = await setUp();
    const ticket = await newTicket(client.actor);
    const [pending] = await deliveriesOf(endpoint.id);

    await deliverWebhookBatch(db(), options());

    const [request, ...repeats] = requestsFor(pending!.messageId);
    expect(repeats).toEqual([]);
    const verified = new Webhook(secret).verify(request!.body, {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    });
    expect(verified).toMatchObject({ type: 'ticket.created', data: { ticketId: ticket.id } });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(() =>
      new Webhook(`whsec_${Buffer.from('another secret, another sender!').toString('base64')}`).verify(
        request!.body,
        {
          'webhook-id': String(request!.headers['webhook-id']),
          'webhook-timestamp': String(request!.headers['webhook-timestamp']),
          'webhook-signature': String(request!.headers['webhook-signature']),
        },
      ),
    ).toThrow();
    const [delivered] = await deliveriesOf(endpoint.id);
    expect(delivered).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
    });
    expect(delivered?.lastLatencyMs).toBeGreaterThanOrEqual(0);
  });

  it('given a receiver answering 500 and then timing out, when the worker retries after each backoff, then the third attempt delivers with the same message id, and each retry waited longer', async () => {
    const { client, endpoint } = await setUp();
    await newTicket(client.actor);
    const [pending] = await deliveriesOf(endpoint.id);
    receiver.answer(500, 'hang');

    await deliverWebhookBatch(db(), options());
    const afterFirst = (await deliveriesOf(endpoint.id))[0]!;
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500 });
    expect(afterFirst.lastError).toContain('HTTP 500');
    const firstDelay = afterFirst.nextAttemptAt.getTime() - afterFirst.lastAttemptAt!.getTime();
    expect(firstDelay).toBe(1_000); // base delay, jitter fixed at its middle by random() = 0.5

    // Not due yet: nothing is sent before the backoff ends.
    await deliverWebhookBatch(db(), options());
    expect(requestsFor(pending!.messageId)).toHaveLength(1);

    await deliverWebhookBatch(db(), options({ now: at(1_500) }));
    const afterSecond = (await deliveriesOf(endpoint.id))[0]!;
    expect(afterSecond).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: null });
    expect(afterSecond.lastError).toMatch(/timed out after 500 ms/);
    expect(afterSecond.nextAttemptAt.getTime() - afterSecond.lastAttemptAt!.getTime()).toBe(2_000);

    await deliverWebhookBatch(db(), options({ now: at(5_000) }));
    const delivered = (await deliveriesOf(endpoint.id))[0]!;
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 204 });
    expect(requestsFor(pending!.messageId)).toHaveLength(3);
    const endpointRow = await db()
      .selectFrom('webhookEndpoints')
      .selectAll()
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow();
    expect(endpointRow).toMatchObject({ consecutiveFailures: 0, failingSince: null, enabled: true });
  });

  it('given a receiver that keeps failing, when the delivery reaches maxAttempts, then it is given up as failed', async () => {
    const { client, endpoint } = await setUp();
    await newTicket(client.actor);
    receiver.answer(503, 503);
    await deliverWebhookBatch(db(), options({ maxAttempts: 2 }));
    await deliverWebhookBatch(db(), options({ maxAttempts: 2, now: at(1_500) }));
    const [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: 503 });
  });

  it('given a worker that claimed a delivery and died mid-request, when another worker runs after the lease, then the delivery is sent again with the same message id, and the dead worker’s late outcome changes nothing', async () => {
    const { client, endpoint } = await setUp();
    await newTicket(client.actor);
    const [pending] = await deliveriesOf(endpoint.id);
    receiver.answer('hang');
    const slowTransport = createWebhookTransport({ policy: localPolicy, timeoutMs: 3_000 });
    const dying = deliverWebhookBatch(db(), options({ transport: slowTransport }));
    await receiver.waitFor(receiver.received.length + 1);

    // Within the lease, no other worker takes it.
    await deliverWebhookBatch(db(), options({ now: at(1_000) }));
    expect(requestsFor(pending!.messageId)).toHaveLength(1);
    // After the lease it is due again.
    await deliverWebhookBatch(db(), options({ now: at(6_000) }));
    expect(requestsFor(pending!.messageId)).toHaveLength(2);
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });

    const late = await dying; // the first request times out now
    expect(late.stale).toBeGreaterThanOrEqual(1);
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('given an endpoint failing again and again, when the run of failures reaches the threshold, then the endpoint is disabled, every admin of the workspace is notified, and its deliveries wait', async () => {
    const { client, admin, endpoint } = await setUp();
    await newTicket(client.actor);
    receiver.answer(500, 500, 500);
    const failing = options({ disableAfterFailures: 3, disableAfterMs: 0 });
    await deliverWebhookBatch(db(), failing);
    await deliverWebhookBatch(db(), { ...failing, now: at(1_500) });
    const beforeThreshold = await db()
      .selectFrom('webhookEndpoints')
      .selectAll()
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow();
    expect(beforeThreshold).toMatchObject({ enabled: true, consecutiveFailures: 2 });
    await deliverWebhookBatch(db(), { ...failing, now: at(5_000) });

    const disabled = await db()
      .selectFrom('webhookEndpoints')
      .selectAll()
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow();
    expect(disabled).toMatchObject({ enabled: false, consecutiveFailures: 3 });
    expect(disabled.disabledReason).toContain('3 failed attempts in a row');
    const notifications = await db()
      .selectFrom('notifications')
      .selectAll()
      .where('type', '=', 'webhook.disabled')
      .where('workspaceId', '=', endpoint.workspaceId)
      .execute();
    // The workspace's one admin created the endpoint and is notified all the same.
    expect(notifications.map((row) => row.userId)).toEqual([admin.user.id]);
    expect(notifications[0]?.data).toMatchObject({ endpointId: endpoint.id, consecutiveFailures: 3 });

    // Disabled: the waiting delivery is not claimed, and new events write nothing for it.
    const sent = receiver.received.length;
    await deliverWebhookBatch(db(), options({ now: at(60_000) }));
    await newTicket(client.actor);
    expect(receiver.received.length).toBe(sent);
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((row) => row.status)).toEqual(['pending']);
  });

  it('given a rotation with an overlap, when a delivery is sent during it, then it carries two signatures and each secret verifies; after the overlap only the new one signs', async () => {
    const { client, admin, endpoint, secret: oldSecret } = await setUp();
    const { secret: newSecret, endpoint: rotated } = await rotateWebhookSecret(db(), admin.actor, {
      id: endpoint.id,
      overlapSeconds: 60,
    });
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();
    await newTicket(client.actor);
    const [pending] = await deliveriesOf(endpoint.id);

    await deliverWebhookBatch(db(), options());
    const [request] = requestsFor(pending!.messageId);
    const headers = {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(request!.body, headers)).toMatchObject({ type: 'ticket.created' });
    expect(new Webhook(newSecret).verify(request!.body, headers)).toMatchObject({ type: 'ticket.created' });

    // Two minutes later the overlap is over (the clock is the worker's): only the new secret signs.
    await newTicket(client.actor);
    const second = (await deliveriesOf(endpoint.id))[1]!;
    await deliverWebhookBatch(db(), options({ now: at(120_000) }));
    const [late] = requestsFor(second.messageId);
    const signatures = String(late!.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(1);
    // The worker's clock is two minutes ahead, within the verifier's five-minute tolerance.
    const lateHeaders = {
      'webhook-id': String(late!.headers['webhook-id']),
      'webhook-timestamp': String(late!.headers['webhook-timestamp']),
      'webhook-signature': signatures[0]!,
    };
    expect(() => new Webhook(oldSecret).verify(late!.body, lateHeaders)).toThrow();
    expect(() => new Webhook(newSecret).verify(late!.body, lateHeaders)).not.toThrow();
  });
});
