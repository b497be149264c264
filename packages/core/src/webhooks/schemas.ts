import { webhookDeliveryStatuses } from '@tickets/db';
import { z } from 'zod';
import { webhookEventTypes } from './events';

export const webhookEventTypeSchema = z.enum(webhookEventTypes);

const webhookUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    error: 'expected an http(s) URL',
  });

const events = z.array(webhookEventTypeSchema).min(1).max(webhookEventTypes.length);

export const createWebhookInput = z
  .object({
    /** Superadmin: the workspace the endpoint belongs to. */
    workspaceId: z.uuid().optional(),
    url: webhookUrl,
    events,
    /** Also send internal notes' and internal attachments' events (ids only, never the text). */
    includeInternal: z.boolean().default(false),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const webhookIdInput = z.object({ id: z.uuid() }).strict();
export type WebhookIdInput = z.infer<typeof webhookIdInput>;

export const updateWebhookInput = z
  .object({
    id: z.uuid(),
    url: webhookUrl.optional(),
    events: events.optional(),
    /** Enabling an endpoint the server disabled also clears its failure count. */
    enabled: z.boolean().optional(),
    includeInternal: z.boolean().optional(),
  })
  .strict();
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export const listWebhooksInput = z
  .object({
    /** Superadmin: one workspace; omitted means every workspace. */
    workspaceId: z.uuid().optional(),
  })
  .strict();
export type ListWebhooksInput = z.infer<typeof listWebhooksInput>;

const MAX_OVERLAP_SECONDS = 7 * 24 * 60 * 60;
export const rotateWebhookSecretInput = z
  .object({
    id: z.uuid(),
    /** How long the old secret keeps signing beside the new one (default a day, 0 ends it at once). */
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_OVERLAP_SECONDS)
      .default(24 * 60 * 60),
  })
  .strict();
export type RotateWebhookSecretInput = z.infer<typeof rotateWebhookSecretInput>;

export const listWebhookDeliveriesInput = z
  .object({
    id: z.uuid(),
    limit: z.number().int().min(1).max(100).default(25),
  })
  .strict();
export type ListWebhookDeliveriesInput = z.infer<typeof listWebhookDeliveriesInput>;

export const redeliverWebhookInput = z.object({ deliveryId: z.uuid() }).strict();
export type RedeliverWebhookInput = z.infer<typeof redeliverWebhookInput>;

/** An endpoint as its admins see it: never the secret, which is shown once. */
export const webhookEndpointSchema = z.object({
  id: z.uuid(),
  workspaceId: z.uuid(),
  url: z.string(),
  events: z.array(z.string()),
  includeInternal: z.boolean(),
  enabled: z.boolean(),
  /** Why the server disabled it (repeated failures), or null. */
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  /** Until when the previous secret still signs, during a rotation. */
  previousSecretExpiresAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** Creation and rotation: the endpoint and its secret, which no later call shows again. */
export const webhookWithSecretSchema = z.object({
  endpoint: webhookEndpointSchema,
  secret: z.string(),
});
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

// Declared once, beside the column that stores them (@tickets/db's enums.ts).
export { webhookDeliveryStatuses };

export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  /** The `webhook-id` header: the same on every attempt and redelivery of one message. */
  messageId: z.string(),
  eventType: z.string(),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  nextAttemptAt: z.date().nullable(),
  lastAttemptAt: z.date().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.date().nullable(),
  createdAt: z.date(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryListSchema = z.object({ items: z.array(webhookDeliverySchema) });
export type WebhookDeliveryList = z.infer<typeof webhookDeliveryListSchema>;
