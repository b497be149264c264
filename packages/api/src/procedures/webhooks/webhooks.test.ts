import {
  AppError,
  createWebhook,
  createWebhookTransport,
  listWebhooks,
  rotateWebhookSecret,
  sendWebhookTest,
  type WebhookAddressPolicy,
} from '@tickets/core';
import { createWorkspaceWithCast, startWebhookReceiver } from '@tickets/core/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { appCodeOf, errorShapeOf, rejection } from '../../testing/rejection';

// The webhooks router through every middleware: what admins see (a secret once, never again), what is
// refused with a field name, and the `test` ping over the real transport to a receiver on 127.0.0.1.

const receiver = await startWebhookReceiver();
const policy: WebhookAddressPolicy = {
  allowHttp: true,
  allowedAddresses: ['127.0.0.1/32'],
  resolve: async (host) => {
    if (host === 'receiver.test') return [{ address: '127.0.0.1', family: 4 }];
    if (host === 'metadata.example.com') return [{ address: '169.254.169.254', family: 4 }];
    if (host === 'intranet.example.com') return [{ address: '192.168.0.10', family: 4 }];
    return [{ address: '93.184.215.14', family: 4 }];
  },
};
const api = await createTestApi({
  webhooks: { policy, transport: createWebhookTransport({ policy, timeoutMs: 2_000 }) },
});
afterAll(async () => {
  await receiver.close();
  await api.close();
});

const receiverUrl = `http://receiver.test:${receiver.port}/hooks`;
const endpointCount = async (workspaceId: string) =>
  (await api.db.selectFrom('webhookEndpoints').select('id').where('workspaceId', '=', workspaceId).execute())
    .length;

describe('webhooks.create and list', () => {
  it('given an admin, when they create an endpoint, then the answer shows a whsec_ secret once, and list never shows it', async () => {
    const { admin, workspace } = await createWorkspaceWithCast(api.db);
    const created = await api.as(admin.token).webhooks.create({
      url: 'https://hooks.example.com/tickets',
      events: ['ticket.created', 'ticket.closed', 'ticket.created'],
    });

    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint).toMatchObject({
      workspaceId: workspace.id,
      url: 'https://hooks.example.com/tickets',
      events: ['ticket.created', 'ticket.closed'],
      enabled: true,
      includeInternal: false,
      consecutiveFailures: 0,
    });
    const listed = await api.as(admin.token).webhooks.list({});
    expect(listed.items.map((item) => item.id)).toEqual([created.endpoint.id]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(listed.items[0]).not.toHaveProperty('secret');
  });

  it.each([
    ['https://169.254.169.254/latest/meta-data/', /linkLocal/],
    ['https://metadata.example.com/', /169\.254\.169\.254 is a linkLocal address/],
    ['https://intranet.example.com/hook', /192\.168\.0\.10 is a private address/],
    ['https://[::ffff:10.0.0.1]/hook', /private/],
    ['https://user:secret@hooks.example.com/', /credentials/],
  ])(
    'given the URL %s, when an admin registers it, then BAD_REQUEST WEBHOOK_URL_REFUSED naming url, and nothing is written',
    async (url, reason) => {
      const { admin, workspace } = await createWorkspaceWithCast(api.db);
      const error = await rejection(api.as(admin.token).webhooks.create({ url, events: ['ticket.created'] }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(appCodeOf(error)).toBe('WEBHOOK_URL_REFUSED');
      expect(error.message).toMatch(reason);
      expect(errorShapeOf(error).data).toMatchObject({ issues: [{ path: 'url' }] });
      expect(await endpointCount(workspace.id)).toBe(0);
    },
  );

  it('given an event type that does not exist, when an admin registers it, then BAD_REQUEST naming events, and nothing is written', async () => {
    const { admin, workspace } = await createWorkspaceWithCast(api.db);
    const error = await rejection(
      api.as(admin.token).webhooks.create({
        url: 'https://hooks.example.com/',
        events: ['ticket.exploded' as 'ticket.created'],
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('events');
    expect(await endpointCount(workspace.id)).toBe(0);
  });
});

describe('webhooks.update, rotateSecret, delete', () => {
  it('given an endpoint the server disabled, when an admin enables it again, then its run of failures starts from zero', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    const { endpoint } = await api
      .as(admin.token)
      .webhooks.create({ url: 'https://hooks.example.com/', events: ['ticket.created'] });
    await api.db
      .updateTable('webhookEndpoints')
      .set({ enabled: false, consecutiveFailures: 12, failingSince: new Date(), disabledReason: 'failing' })
      .where('id', '=', endpoint.id)
      .execute();

    const updated = await api.as(admin.token).webhooks.update({
      id: endpoint.id,
      enabled: true,
      events: ['message.created'],
      includeInternal: true,
    });
    expect(updated).toMatchObject({
      enabled: true,
      consecutiveFailures: 0,
      disabledReason: null,
      events: ['message.created'],
      includeInternal: true,
    });
  });

  it('given a new URL resolving to a private address, when an admin updates to it, then WEBHOOK_URL_REFUSED and the old URL stays', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    const { endpoint } = await api
      .as(admin.token)
      .webhooks.create({ url: 'https://hooks.example.com/', events: ['ticket.created'] });
    const error = await rejection(
      api.as(admin.token).webhooks.update({ id: endpoint.id, url: 'https://intranet.example.com/' }),
    );
    expect(appCodeOf(error)).toBe('WEBHOOK_URL_REFUSED');
    const [listed] = (await api.as(admin.token).webhooks.list({})).items;
    expect(listed?.url).toBe('https://hooks.example.com/');
  });

  it('given an endpoint, when an admin rotates its secret, then a new secret is shown once and the old one signs until the overlap ends', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    const created = await api
      .as(admin.token)
      .webhooks.create({ url: 'https://hooks.example.com/', events: ['ticket.created'] });
    const before = Date.now();
    const rotated = await api
      .as(admin.token)
      .webhooks.rotateSecret({ id: created.endpoint.id, overlapSeconds: 3_600 });

    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    const expires = rotated.endpoint.previousSecretExpiresAt?.getTime() ?? 0;
    expect(expires).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1_000);
  });

  it('given an endpoint with deliveries, when an admin deletes it, then the endpoint and its deliveries are gone', async () => {
    const { admin, client } = await createWorkspaceWithCast(api.db);
    const { endpoint } = await api
      .as(admin.token)
      .webhooks.create({ url: 'https://hooks.example.com/', events: ['ticket.created'] });
    await api.as(client.token).tickets.create({ title: 'Printer', description: 'Broken.' });

    await api.as(admin.token).webhooks.delete({ id: endpoint.id });
    const left = await api.db
      .selectFrom('webhookDeliveries')
      .select('id')
      .where('endpointId', '=', endpoint.id)
      .execute();
    expect(left).toEqual([]);
    expect((await api.as(admin.token).webhooks.list({})).items).toEqual([]);
  });
});

describe('webhooks.deliveries, redeliver, test', () => {
  it('given a ticket created through the API, when an admin lists the deliveries and redelivers one, then the new delivery carries the same message id and payload', async () => {
    const { admin, client } = await createWorkspaceWithCast(api.db);
    const { endpoint } = await api
      .as(admin.token)
      .webhooks.create({ url: 'https://hooks.example.com/', events: ['ticket.created'] });
    await api.as(client.token).tickets.create({ title: 'Printer', description: 'Broken.' });

    const { items } = await api.as(admin.token).webhooks.deliveries({ id: endpoint.id });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ eventType: 'ticket.created', status: 'pending', attempts: 0 });

    const again = await api.as(admin.token).webhooks.redeliver({ deliveryId: items[0]!.id });
    expect(again.id).not.toBe(items[0]!.id);
    expect(again.messageId).toBe(items[0]!.messageId);
    const rows = await api.db
      .selectFrom('webhookDeliveries')
      .select('payload')
      .where('endpointId', '=', endpoint.id)
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]?.payload).toEqual(rows[1]?.payload);
  });

  it('given an endpoint on the local receiver, when an admin sends a test, then the receiver gets a signed webhook.ping and the answer shows the outcome', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    const { endpoint, secret } = await api
      .as(admin.token)
      .webhooks.create({ url: receiverUrl, events: ['ticket.created'] });

    const delivery = await api.as(admin.token).webhooks.test({ id: endpoint.id });

    expect(delivery).toMatchObject({
      eventType: 'webhook.ping',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
    });
    const request = receiver.received.find((r) => r.headers['webhook-id'] === delivery.messageId);
    const payload = new Webhook(secret).verify(request!.body, {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    });
    expect(payload).toMatchObject({ type: 'webhook.ping', data: { endpointId: endpoint.id } });
  });

  it('given a receiver answering 500, when an admin sends a test, then the answer shows the failure, and the endpoint’s health is untouched', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    const { endpoint } = await api
      .as(admin.token)
      .webhooks.create({ url: receiverUrl, events: ['ticket.created'] });
    receiver.answer(500);

    const delivery = await api.as(admin.token).webhooks.test({ id: endpoint.id });

    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500 });
    const [listed] = (await api.as(admin.token).webhooks.list({})).items;
    expect(listed).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });
});

describe('the domain commands behind the gate', () => {
  it.each(['support', 'writer', 'client'] as const)(
    'given a %s calling the webhook commands directly, then FORBIDDEN: the rule holds without the procedure gate',
    async (role) => {
      const cast = await createWorkspaceWithCast(api.db);
      const { endpoint } = await api
        .as(cast.admin.token)
        .webhooks.create({ url: 'https://hooks.example.com/', events: ['ticket.created'] });
      const actor = cast[role].actor;
      const calls = [
        () =>
          createWebhook(
            api.db,
            actor,
            {
              url: 'https://hooks.example.com/',
              events: ['ticket.created'],
              includeInternal: false,
              enabled: true,
            },
            policy,
          ),
        () => listWebhooks(api.db, actor, {}),
        () => rotateWebhookSecret(api.db, actor, { id: endpoint.id, overlapSeconds: 0 }),
        () =>
          sendWebhookTest(
            api.db,
            actor,
            { id: endpoint.id },
            { transport: createWebhookTransport({ policy }) },
          ),
      ];
      // One at a time, each awaited as it starts: no rejection waits unhandled.
      for (const call of calls) {
        const error = await call().then(
          () => expect.fail('expected FORBIDDEN'),
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('FORBIDDEN');
      }
    },
  );
});
