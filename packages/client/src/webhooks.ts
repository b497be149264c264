import { Webhook } from 'standardwebhooks';

/** The events a webhook endpoint receives (`webhook.ping` comes from the console's "send a test"). */
export type TicketsWebhookEventType =
  | 'ticket.created'
  | 'ticket.updated'
  | 'ticket.assigned'
  | 'ticket.escalated'
  | 'ticket.closed'
  | 'ticket.reopened'
  | 'message.created'
  | 'attachment.created'
  | 'webhook.ping'
  // New event types may be added without a new SDK: handle unknown ones by ignoring them.
  | (string & {});

/** The body of a verified webhook: ids and changed fields, never message text. */
export interface TicketsWebhookEvent {
  type: TicketsWebhookEventType;
  /** When the event happened (ISO 8601, UTC). */
  timestamp: string;
  data: {
    /** Absent on `webhook.ping`. */
    eventId?: string;
    workspaceId: string;
    ticketId?: string | null;
    actorId?: string;
    /** True for internal notes and attachments (sent only to endpoints that opted in). */
    internal?: boolean;
    /** What the event recorded, by type: e.g. `changes` on ticket.updated, `messageId` on message.created. */
    [field: string]: unknown;
  };
}

/** The headers a webhook request carries, from a Fetch `Headers` or Node's `req.headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * Checks a webhook request from the tickets platform (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`, HMAC-SHA256) and returns its event, or throws when the
 * signature does not match the secret or the timestamp is more than five minutes away (a replay).
 * Pass the body exactly as received (the raw text, before any JSON parsing). During a secret rotation
 * requests carry two signatures: either secret verifies. Drop repeats by `webhook-id` (delivery is at
 * least once).
 *
 * @example
 * ```ts
 * import { verifyTicketsWebhook } from '@tickets/client/webhooks';
 *
 * const secret = 'whsec_…'; // shown once, when the endpoint was created (or its secret rotated)
 * app.post('/hooks/tickets', async (c) => {
 *   const event = verifyTicketsWebhook(secret, await c.req.text(), c.req.raw.headers);
 *   if (event.type === 'ticket.created') await importTicket(event.data.ticketId);
 *   return c.body(null, 204);
 * });
 * ```
 */
export function verifyTicketsWebhook(
  secret: string,
  body: string,
  headers: WebhookHeaders,
): TicketsWebhookEvent {
  return new Webhook(secret).verify(body, {
    'webhook-id': header(headers, 'webhook-id'),
    'webhook-timestamp': header(headers, 'webhook-timestamp'),
    'webhook-signature': header(headers, 'webhook-signature'),
  }) as TicketsWebhookEvent;
}
