import type { AuditEventsTable } from '@tickets/db';
import { type Insertable, sql } from 'kysely';
import type { Executor } from '../shared/transaction';

/** The columns an audit event's `returning` must give for webhookDeliveriesOfEvents. */
export const auditEventColumnsForWebhooks = [
  'id',
  'workspaceId',
  'ticketId',
  'actorId',
  'action',
  'internal',
  'data',
  'createdAt',
] as const;

/**
 * A statement's last step: one webhook delivery per audit event of the relation `event` (a CTE of the
 * events just inserted, returning auditEventColumnsForWebhooks) and per enabled endpoint of its
 * workspace subscribed to its action. Part of the statement that writes the event, so an event that
 * commits is never lost to a crash before its webhooks go out, one that rolls back sends nothing, and a
 * workspace without endpoints pays no extra round trip. Events about internal notes and attachments go
 * only to endpoints that opted in to them.
 *
 * The payload (Standard Webhooks shape: type, timestamp, data) carries the event's ids and what the
 * audit event recorded (changed fields, message and attachment ids), never a message body. The message
 * id is one per event, the same on every endpoint and every retry: receivers drop duplicates by it.
 */
export const webhookDeliveriesOfEvents = sql`
  insert into webhook_deliveries (endpoint_id, workspace_id, message_id, event_type, payload)
  select endpoint.id, event.workspace_id, 'msg_' || replace(event.id::text, '-', ''), event.action,
    jsonb_build_object(
      'type', event.action,
      'timestamp', to_char(event.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'data', event.data || jsonb_build_object(
        'eventId', event.id,
        'workspaceId', event.workspace_id,
        'ticketId', event.ticket_id,
        'actorId', event.actor_id,
        'internal', event.internal
      )
    )
  from event
  join webhook_endpoints endpoint on endpoint.workspace_id = event.workspace_id
  where endpoint.enabled and event.action = any(endpoint.events)
    and (not event.internal or endpoint.include_internal)`;

/** Inserts one audit event and, in the same statement, its webhook deliveries (above). */
export async function insertAuditEventWithWebhooks(
  executor: Executor,
  values: Insertable<AuditEventsTable>,
): Promise<void> {
  const event = executor.insertInto('auditEvents').values(values).returning(auditEventColumnsForWebhooks);
  await sql`with event as (${event}) ${webhookDeliveriesOfEvents}`.execute(executor);
}
