// The values of every column a migration holds to a list (CHECK (column in (...))), declared once: the
// schema types those columns with these unions, the domain validates input against them, and the SDK
// bundles them (through the `@tickets/db/enums` entry). So this file imports nothing: the SDK's bundle
// must not pull in Kysely or pg. The migrations keep their own frozen copies; enums.test.ts reads each
// constraint back from PostgreSQL and fails the day a list here and its constraint disagree.

/** Every role: superadmin, admin and support are staff; writer and client are requesters (users.role). */
export const roles = ['superadmin', 'admin', 'support', 'writer', 'client'] as const;
export type Role = (typeof roles)[number];

/** Every ticket status, in workflow order (tickets.status). */
export const ticketStatuses = ['open', 'in_progress', 'awaiting_response', 'escalated', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** Every ticket priority, lowest first (tickets.priority; tickets.priority_rank follows this order). */
export const ticketPriorities = ['low', 'medium', 'high', 'critical'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

/** Every ticket category (tickets.category). */
export const ticketCategories = ['general', 'payment', 'technical', 'feedback', 'order', 'other'] as const;
export type TicketCategory = (typeof ticketCategories)[number];

/** Where one e-mail (or other channel's message) of the notification outbox stands (notification_outbox.status). */
export const outboxStatuses = ['pending', 'sent', 'failed', 'skipped'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** Where one webhook message to one endpoint stands (webhook_deliveries.status). */
export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/** The breakdowns of the all-time statistics (ticket_stats_total.dimension). */
export const ticketStatsDimensions = ['total', 'status', 'priority', 'category', 'assignee'] as const;
export type TicketStatsDimension = (typeof ticketStatsDimensions)[number];

/** The breakdowns of the daily statistics: the all-time ones, plus tickets last closed that day (ticket_stats_daily.dimension). */
export const ticketStatsDailyDimensions = [...ticketStatsDimensions, 'closed_on'] as const;
export type TicketStatsDailyDimension = (typeof ticketStatsDailyDimensions)[number];

/** The daily service-level figures: targets met or missed by the day's tickets, targets missed that day (sla_stats_daily.measure). */
export const slaStatsMeasures = [
  'first_response_met',
  'first_response_breached',
  'resolution_met',
  'resolution_breached',
  'breached_on',
] as const;
export type SlaStatsMeasure = (typeof slaStatsMeasures)[number];

/**
 * True when `value` is one of `values`: narrows a string read from outside the typed columns (raw SQL,
 * a form) to the union, without a cast.
 */
export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
