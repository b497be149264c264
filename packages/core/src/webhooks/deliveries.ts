import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import { type Actor, isSuperadmin } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import type { Executor } from '../shared/transaction';
import { attemptDelivery, recordOutcome, type WebhookDeliveryOptions } from './deliver';
import { findManagedWebhook, toWebhookDelivery } from './endpoints';
import { WEBHOOK_PING_EVENT } from './events';
import type {
  ListWebhookDeliveriesInput,
  RedeliverWebhookInput,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookIdInput,
} from './schemas';

/** The newest deliveries of one endpoint, with each one's status, attempts, latency and response code. */
export async function listWebhookDeliveries(
  executor: Executor,
  actor: Actor,
  input: ListWebhookDeliveriesInput,
): Promise<WebhookDeliveryList> {
  const endpoint = await findManagedWebhook(executor, actor, input.id);
  const rows = await executor
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('endpointId', '=', endpoint.id)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit)
    .execute();
  return { items: rows.map(toWebhookDelivery) };
}

/**
 * Queues the message of a past delivery again, as a new delivery with the same message id (so a receiver
 * that already has it drops it) and the same payload. The worker sends it with the next batch.
 */
export async function redeliverWebhook(
  executor: Executor,
  actor: Actor,
  input: RedeliverWebhookInput,
): Promise<WebhookDelivery> {
  assertCan(actor, 'webhook:manage');
  let query = executor
    .selectFrom('webhookDeliveries as delivery')
    .innerJoin('webhookEndpoints as endpoint', 'endpoint.id', 'delivery.endpointId')
    .select([
      'delivery.endpointId',
      'delivery.workspaceId',
      'delivery.messageId',
      'delivery.eventType',
      'delivery.payload',
    ])
    .where('delivery.id', '=', input.deliveryId);
  if (!isSuperadmin(actor)) query = query.where('endpoint.workspaceId', '=', actor.workspaceId as string);
  const original = await query.executeTakeFirst();
  if (!original) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND', 'Webhook delivery not found.');
  const row = await executor
    .insertInto('webhookDeliveries')
    .values({ ...original, payload: JSON.stringify(original.payload) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWebhookDelivery(row);
}

/**
 * Sends a `webhook.ping` to the endpoint now, even a disabled one (to check a fix before enabling it),
 * and answers with the outcome. The ping is logged among the deliveries, tried once, and never counts
 * toward disabling the endpoint.
 */
export async function sendWebhookTest(
  executor: Executor,
  actor: Actor,
  input: WebhookIdInput,
  options: Pick<WebhookDeliveryOptions, 'transport' | 'now'>,
): Promise<WebhookDelivery> {
  const endpoint = await findManagedWebhook(executor, actor, input.id);
  const now = (options.now ?? (() => new Date()))();
  const messageId = `msg_${randomUUID().replaceAll('-', '')}`;
  const payload = {
    type: WEBHOOK_PING_EVENT,
    timestamp: now.toISOString(),
    data: { endpointId: endpoint.id, workspaceId: endpoint.workspaceId },
  };
  // Written as already claimed (one attempt, a lease in the future): no worker picks it up meanwhile.
  const claimed = await executor
    .insertInto('webhookDeliveries')
    .values({
      endpointId: endpoint.id,
      workspaceId: endpoint.workspaceId,
      messageId,
      eventType: WEBHOOK_PING_EVENT,
      payload: JSON.stringify(payload),
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + 5 * 60_000),
    })
    .returning(['id', 'endpointId', 'messageId', 'eventType', 'payload', 'attempts'])
    .executeTakeFirstOrThrow();
  const outcome = await attemptDelivery(endpoint, claimed, options);
  await recordOutcome(executor, claimed, outcome, { now: options.now });
  const row = await executor
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('id', '=', claimed.id)
    .executeTakeFirstOrThrow();
  return toWebhookDelivery(row);
}
