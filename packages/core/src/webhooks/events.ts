import { auditActions } from '../audit/record-audit-event';

/**
 * The events an endpoint may subscribe to: every audit action, so an action added there (service-level
 * events, say) is deliverable without a change here. Each audit event is one webhook message.
 */
export const webhookEventTypes = auditActions;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** Sent only by the `test` procedure, never subscribed to. */
export const WEBHOOK_PING_EVENT = 'webhook.ping';
