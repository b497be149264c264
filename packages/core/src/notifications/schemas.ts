import { z } from 'zod';
import { pageInput } from '../shared/pagination';
import { notificationTypes } from './create-notifications';

export const notificationTypeSchema = z.enum(notificationTypes);

/** A notification as its recipient sees it. */
export const notificationSchema = z.object({
  id: z.uuid(),
  /** The recipient: always the caller, on their own list and stream. */
  userId: z.uuid(),
  type: notificationTypeSchema,
  ticketId: z.uuid().nullable(),
  /** Null when the system acted (a service-level warning or breach). */
  actorId: z.uuid().nullable(),
  data: z.record(z.string(), z.unknown()),
  readAt: z.date().nullable(),
  createdAt: z.date(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
});

export const listNotificationsInput = pageInput
  .extend({
    /** Only notifications not read yet. */
    unreadOnly: z.boolean().default(false),
  })
  .strict()
  // No input at all is the first page with the defaults (prefault parses {}, so limit gets its default).
  .prefault({});
export type ListNotificationsInput = z.infer<typeof listNotificationsInput>;

export const markNotificationsReadInput = z.object({ ids: z.array(z.uuid()).min(1).max(100) }).strict();
export type MarkNotificationsReadInput = z.infer<typeof markNotificationsReadInput>;

export const updatedCountSchema = z.object({ updated: z.number().int().nonnegative() });
export type UpdatedCount = z.infer<typeof updatedCountSchema>;

export const unreadCountSchema = z.object({ count: z.number().int().nonnegative() });
export type UnreadCount = z.infer<typeof unreadCountSchema>;

/**
 * The event id of the live stream is the notification's id: opaque, and the caller's own, so it says
 * nothing about anyone else's activity (a platform-wide sequence number would).
 */
export const notificationEventIdSchema = z.uuid({ message: 'expected an event id from this stream' });

export const onNotificationInput = z
  .object({
    /** Set by the client on reconnect: what came after it is replayed first. */
    lastEventId: notificationEventIdSchema.nullish(),
  })
  .strict();
export type OnNotificationInput = z.infer<typeof onNotificationInput>;

/** Channels a user can switch off per event type (in-app notifications are always on). */
export type NotificationChannelName = 'email';

export const notificationPreferencesSchema = z.object({
  email: z.record(notificationTypeSchema, z.boolean()),
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

export const updateNotificationPreferencesInput = z
  .object({ email: z.partialRecord(notificationTypeSchema, z.boolean()) })
  .strict();
export type UpdateNotificationPreferencesInput = z.infer<typeof updateNotificationPreferencesInput>;
