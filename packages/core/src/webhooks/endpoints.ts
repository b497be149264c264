import type { WebhookDeliveryRow, WebhookEndpointRow } from '@tickets/db';
import { AppError } from '../errors';
import { type Actor, isSuperadmin } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { resolveWorkspaceFilter, resolveWorkspaceId } from '../policy/workspaces';
import { type Executor, inTransaction } from '../shared/transaction';
import { assertWebhookUrlAllowed, type WebhookAddressPolicy } from './address-policy';
import type {
  CreateWebhookInput,
  ListWebhooksInput,
  RotateWebhookSecretInput,
  UpdateWebhookInput,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookWithSecret,
} from './schemas';
import { generateWebhookSecret } from './secrets';

export function toWebhookEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    url: row.url,
    events: row.events,
    includeInternal: row.includeInternal,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    previousSecretExpiresAt: row.previousSecret === null ? null : row.previousSecretExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpointId,
    messageId: row.messageId,
    eventType: row.eventType,
    status: row.status as WebhookDelivery['status'],
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    lastAttemptAt: row.lastAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastLatencyMs: row.lastLatencyMs,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}

/**
 * The endpoint, locked when `forUpdate`, if the actor may manage it. Another workspace's endpoint
 * answers WEBHOOK_NOT_FOUND, exactly like one that does not exist (no oracle).
 */
export async function findManagedWebhook(
  executor: Executor,
  actor: Actor,
  id: string,
  forUpdate = false,
): Promise<WebhookEndpointRow> {
  assertCan(actor, 'webhook:manage');
  let query = executor.selectFrom('webhookEndpoints').selectAll().where('id', '=', id);
  if (!isSuperadmin(actor)) query = query.where('workspaceId', '=', actor.workspaceId as string);
  const row = await (forUpdate ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new AppError('WEBHOOK_NOT_FOUND', 'Webhook endpoint not found.');
  return row;
}

export async function createWebhook(
  executor: Executor,
  actor: Actor,
  input: CreateWebhookInput,
  policy: WebhookAddressPolicy,
): Promise<WebhookWithSecret> {
  assertCan(actor, 'webhook:manage');
  const workspaceId = resolveWorkspaceId(actor, input.workspaceId);
  await assertWebhookUrlAllowed(input.url, policy);
  const workspace = await executor
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', 'Workspace not found.');
  const secret = generateWebhookSecret();
  const row = await executor
    .insertInto('webhookEndpoints')
    .values({
      workspaceId,
      url: input.url,
      events: [...new Set(input.events)],
      includeInternal: input.includeInternal,
      enabled: input.enabled,
      secret,
      createdBy: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { endpoint: toWebhookEndpoint(row), secret };
}

/** Oldest first, so a workspace's list reads in the order it was built. */
export async function listWebhooks(
  executor: Executor,
  actor: Actor,
  input: ListWebhooksInput,
): Promise<WebhookEndpoint[]> {
  assertCan(actor, 'webhook:manage');
  const workspaceId = resolveWorkspaceFilter(actor, input.workspaceId);
  let query = executor.selectFrom('webhookEndpoints').selectAll().orderBy('createdAt').orderBy('id');
  if (workspaceId !== null) query = query.where('workspaceId', '=', workspaceId);
  // A workspace has a handful of endpoints; the bound keeps a superadmin's view finite.
  const rows = await query.limit(500).execute();
  return rows.map(toWebhookEndpoint);
}

export async function updateWebhook(
  executor: Executor,
  actor: Actor,
  input: UpdateWebhookInput,
  policy: WebhookAddressPolicy,
): Promise<WebhookEndpoint> {
  assertCan(actor, 'webhook:manage');
  if (input.url !== undefined) await assertWebhookUrlAllowed(input.url, policy);
  return inTransaction(executor, async (tx) => {
    const row = await findManagedWebhook(tx, actor, input.id, true);
    const enabling = input.enabled === true && !row.enabled;
    const updated = await tx
      .updateTable('webhookEndpoints')
      .set({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
        ...(input.includeInternal !== undefined ? { includeInternal: input.includeInternal } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        // An admin turning it back on starts a fresh run: the next failures count from zero.
        ...(enabling ? { consecutiveFailures: 0, failingSince: null, disabledReason: null } : {}),
        ...(input.enabled === false ? { disabledReason: null } : {}),
        updatedAt: new Date(),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toWebhookEndpoint(updated);
  });
}

/** Deletes the endpoint and, with it, its deliveries (pending ones are never sent). */
export async function deleteWebhook(executor: Executor, actor: Actor, id: string): Promise<{ id: string }> {
  const row = await findManagedWebhook(executor, actor, id);
  await executor.deleteFrom('webhookEndpoints').where('id', '=', row.id).execute();
  return { id: row.id };
}

/**
 * A new secret, shown once. The old one keeps signing beside it for `overlapSeconds`, time to deploy the
 * new secret to the receiver; a rotation during an overlap drops the oldest secret at once.
 */
export async function rotateWebhookSecret(
  executor: Executor,
  actor: Actor,
  input: RotateWebhookSecretInput,
  now: Date = new Date(),
): Promise<WebhookWithSecret> {
  return inTransaction(executor, async (tx) => {
    const row = await findManagedWebhook(tx, actor, input.id, true);
    const secret = generateWebhookSecret();
    const overlap = input.overlapSeconds > 0;
    const updated = await tx
      .updateTable('webhookEndpoints')
      .set({
        secret,
        previousSecret: overlap ? row.secret : null,
        previousSecretExpiresAt: overlap ? new Date(now.getTime() + input.overlapSeconds * 1000) : null,
        updatedAt: now,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { endpoint: toWebhookEndpoint(updated), secret };
  });
}
