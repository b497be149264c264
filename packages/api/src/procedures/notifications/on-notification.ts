import {
  can,
  type Notification,
  notificationSchema,
  onNotificationInput,
  resumePointOf,
  toNotification,
} from '@tickets/core';
import { type TrackedEnvelope, tracked } from '@trpc/server';
import { z } from 'zod';
import { toTRPCError } from '../../errors';
import { procedureFor } from '../base';

type NotificationEvents = AsyncIterable<TrackedEnvelope<Notification>>;

// zod cannot describe a stream, so the output check wraps it and validates each event as it passes:
// what leaves the server is the contract, exactly as for queries.
const notificationEvents = z
  .custom<NotificationEvents>(
    (value) => typeof value === 'object' && value !== null && Symbol.asyncIterator in value,
  )
  .transform(async function* (events: NotificationEvents) {
    for await (const [id, data] of events) yield tracked(id, notificationSchema.parse(data));
  })
  .meta({
    description:
      "One event per new notification: its data is a notification as notifications.list's items are, its id the notification's sequence number.",
  });

/**
 * The caller's new notifications, live, over SSE. Each event's id is the notification's id: a client that
 * reconnects with it (httpSubscriptionLink does) first gets what it missed. The stream ends with
 * SESSION_ENDED when its session does (sign-out, a role or password change, deactivation).
 */
export const onNotificationProcedure = procedureFor('notification:own')
  .meta({
    summary:
      'Live notifications of the caller over server-sent events; resumes after the last event id it was given.',
    errors: ['SHUTTING_DOWN'],
  })
  .input(onNotificationInput.optional())
  .output(notificationEvents)
  .subscription(async function* ({ ctx, input, signal }) {
    try {
      const afterSeq = input?.lastEventId
        ? await resumePointOf(ctx.services.db, ctx.actor, input.lastEventId)
        : null;
      const rows = ctx.services.notificationHub.subscribe(ctx.actor.id, {
        afterSeq,
        includeInternal: can(ctx.actor, 'ticket:read-internal'),
        sessionId: ctx.sessionId,
        signal,
      });
      for await (const row of rows) yield tracked(row.id, toNotification(row));
    } catch (error) {
      // Thrown while streaming, after the base middleware returned: map domain errors here.
      throw toTRPCError(error);
    }
  });
