import type { NotificationType } from './create-notifications';
import type { NotificationChannelName } from './schemas';

/** What a channel needs to tell a recipient about one notification, loaded in one query per batch. */
export interface DeliverableNotification {
  id: string;
  type: NotificationType;
  ticketId: string | null;
  ticketTitle: string | null;
  /** Null when the system acted (service-level warnings and breaches). */
  actorName: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface NotificationRecipient {
  id: string;
  email: string;
  name: string;
}

/**
 * A way to reach a user beyond the in-app list (e-mail first). Channels deliver after the action
 * committed, from the outbox: a throw is recorded and retried later, and never touches the action.
 */
export interface NotificationChannel {
  readonly name: NotificationChannelName;
  deliver(notification: DeliverableNotification, recipient: NotificationRecipient): Promise<void>;
  close?(): Promise<void> | void;
}
