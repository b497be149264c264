import { createTransport } from 'nodemailer';
import type { DeliverableNotification, NotificationChannel, NotificationRecipient } from './channel';
import type { NotificationType } from './create-notifications';

export interface EmailChannelOptions {
  /** e.g. `smtp://user:password@mail.example.com:587` or `smtps://…:465`. */
  smtpUrl: string;
  /** The sender, e.g. `Help desk <help@example.com>`. */
  from: string;
  /** Upper bound on connecting, the greeting and any one socket wait: a stuck server must not stall the worker. */
  timeoutMs?: number;
}

export interface EmailMessage {
  subject: string;
  text: string;
}

const subjects: Record<NotificationType, string> = {
  'ticket.assigned': 'Ticket assigned to you',
  'ticket.escalated': 'Ticket escalated',
  'ticket.closed': 'Your ticket was closed',
  'ticket.reopened': 'Your ticket was reopened',
  'message.created': 'New message on a ticket',
  'attachment.created': 'New attachment on a ticket',
  'sla.warning': 'Service-level target due soon',
  'sla.breached': 'Service-level target missed',
  'webhook.disabled': 'A webhook endpoint was disabled',
};

const actions: Record<NotificationType, string> = {
  'ticket.assigned': 'assigned you the ticket',
  'ticket.escalated': 'escalated the ticket',
  'ticket.closed': 'closed the ticket',
  'ticket.reopened': 'reopened the ticket',
  'message.created': 'wrote on the ticket',
  'attachment.created': 'attached a file to the ticket',
  'sla.warning': 'warns that a service-level target is due soon on the ticket',
  'sla.breached': 'recorded a missed service-level target on the ticket',
  'webhook.disabled': 'created a webhook endpoint that failed repeatedly and is now disabled',
};

// Titles and names come from users: no line breaks into headers, and a bounded length.
const oneLine = (text: string, max: number) => text.replace(/\p{Cc}+/gu, ' ').slice(0, max);

/** The e-mail for one notification: the event and the ticket, never message bodies or file contents. */
export function renderNotificationEmail(
  notification: DeliverableNotification,
  recipient: NotificationRecipient,
): EmailMessage {
  const title = notification.ticketTitle ? oneLine(notification.ticketTitle, 200) : null;
  // No actor: the system itself noticed (service-level warnings and breaches).
  const actor = oneLine(notification.actorName ?? 'The help desk', 200);
  const subject = title ? `${subjects[notification.type]}: ${title}` : subjects[notification.type];
  const lines = [
    `Hello ${oneLine(recipient.name, 200)},`,
    '',
    `${actor} ${actions[notification.type]}${title ? ` "${title}"` : ''}.`,
    ...(notification.ticketId ? ['', `Ticket: ${notification.ticketId}`] : []),
    '',
    'You can switch these e-mails off, per kind of event, in your notification preferences.',
  ];
  return { subject, text: lines.join('\n') };
}

export function createEmailChannel(options: EmailChannelOptions): NotificationChannel {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = createTransport({
    url: options.smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    name: 'email',
    async deliver(notification, recipient) {
      const message = renderNotificationEmail(notification, recipient);
      await transport.sendMail({
        from: options.from,
        to: { name: oneLine(recipient.name, 200), address: recipient.email },
        subject: message.subject,
        text: message.text,
        headers: { 'X-Tickets-Notification-Id': notification.id },
      });
    },
    close: () => transport.close(),
  };
}
