import type { AuditEventsTable } from '@tickets/db';
import { type Insertable, sql } from 'kysely';
import type { Executor } from '../shared/transaction';

/**
 * Inserts one audit event and, in the same statement, one webhook delivery per enabled endpoint of its
 * workspace subscribed to its action: an event that commits is never lost to a crash before its webhooks
 * go out, one that rolls back sends nothing, and a workspace without endpoints pays no extra round trip.
 * Events about internal notes and attachments go only to endpoints that opted in to them.
 *
 * The payload (Standard Webhooks shape: type, timestamp, data) carries the event's ids and what the
 * audit event recorded (changed fields, message and attachment ids), never a message body.
 */
export async function insertAuditEventWithWebhooks(
  executor: Executor,
  values: Insertable<AuditEventsTable>,
): Promise<void> {
  await executor
    .with('event', (db) =>
      db
        .insertInto('auditEvents')
        .values(values)
        .returning(['id', 'workspaceId', 'ticketId', 'actorId', 'action', 'internal', 'data', 'createdAt']),
    )
    .insertInto('webhookDeliveries')
    .columns(['endpointId', 'workspaceId', 'messageId', 'eventType', 'payload'])
    .expression((eb) =>
      eb
        .selectFrom('event')
        .innerJoin('webhookEndpoints as endpoint', 'endpoint.workspaceId', 'event.workspaceId')
        .select([
          'endpoint.id',
          'event.workspaceId',
          // One message id per event, the same on every endpoint and every retry: receivers drop duplicates by it.
          sql<string>`'msg_' || replace(${sql.ref('event.id')}::text, '-', '')`.as('messageId'),
          'event.action',
          sql<string>`jsonb_build_object(
            'type', ${sql.ref('event.action')},
            'timestamp', to_char(${sql.ref('event.createdAt')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'data', ${sql.ref('event.data')} || jsonb_build_object(
              'eventId', ${sql.ref('event.id')},
              'workspaceId', ${sql.ref('event.workspaceId')},
              'ticketId', ${sql.ref('event.ticketId')},
              'actorId', ${sql.ref('event.actorId')},
              'internal', ${sql.ref('event.internal')}
            )
          )`.as('payload'),
        ])
        .where('endpoint.enabled', '=', true)
        .where(sql<boolean>`${sql.ref('event.action')} = any(${sql.ref('endpoint.events')})`)
        .where((w) => w.or([w('event.internal', '=', false), w('endpoint.includeInternal', '=', true)])),
    )
    .execute();
}
