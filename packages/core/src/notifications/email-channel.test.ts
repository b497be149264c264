import { describe, expect, it } from 'vitest';
import { renderNotificationEmail } from './email-channel';

const recipient = { id: 'u1', email: 'client@example.test', name: 'Cleo Client' };
const notification = {
  id: 'n1',
  type: 'ticket.assigned' as const,
  ticketId: 't1',
  ticketTitle: 'Printer on fire',
  actorName: 'Ada Admin',
  data: { body: 'a private message body' },
  createdAt: new Date(),
};

describe('renderNotificationEmail', () => {
  it('names the event, the actor and the ticket, and never the data it carries', () => {
    const email = renderNotificationEmail(notification, recipient);

    expect(email.subject).toBe('Ticket assigned to you: Printer on fire');
    expect(email.text).toContain('Hello Cleo Client,');
    expect(email.text).toContain('Ada Admin assigned you the ticket "Printer on fire".');
    expect(email.text).not.toContain('private message body');
  });

  it('given a title or a name with line breaks, then the subject stays one line (no header injection)', () => {
    const email = renderNotificationEmail(
      { ...notification, ticketTitle: 'Hi\r\nBcc: victim@example.test', actorName: 'Eve\nX-Evil: 1' },
      recipient,
    );

    expect(email.subject).toBe('Ticket assigned to you: Hi Bcc: victim@example.test');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain('Eve X-Evil: 1 assigned you');
  });
});
