import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { openTestDatabase } from '@tickets/db/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { createTicket, createUser, createWorkspaceWithCast } from '../testing/factories';
import type { NotificationChannel } from './channel';
import { createNotifications } from './create-notifications';
import { createEmailChannel } from './email-channel';
import { deliverOutboxBatch, pruneOutbox } from './outbox';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

// Other test files write outbox rows too, and a due row is anyone's to claim: batches here are large
// enough to reach this file's rows, and assertions look only at this file's recipients.
const BATCH = 1_000;
const HOUR = 60 * 60_000;
const later = (ms: number) => () => new Date(Date.now() + ms);

interface ReceivedMail {
  to: string[];
  subject: string;
  raw: string;
  /** The text with quoted-printable soft line breaks joined (nodemailer wraps long lines). */
  text: string;
}

/** A real SMTP server on `port` (0: any free one) that keeps every message it accepts. */
async function startSmtpServer(port = 0) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
          raw,
          text: raw.replace(/=\r?\n/g, ''),
        });
        callback();
      });
    },
  });
  server.listen(port, '127.0.0.1');
  await once(server.server, 'listening');
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    mailsTo: (email: string) => received.filter((mail) => mail.to.includes(email)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A ticket event that notifies the client (by e-mail too); returns the notification id. */
async function givenClosedTicketNotification() {
  const cast = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
    title: 'Printer on fire',
  });
  const [id] = await createNotifications(db, {
    workspaceId: cast.workspace.id,
    type: 'ticket.closed',
    ticketId: ticket.id,
    actorId: cast.support.user.id,
    recipientIds: [cast.client.user.id],
    data: {},
  });
  return { ...cast, ticket, notificationId: id! };
}

const outboxRow = (notificationId: string) =>
  db
    .selectFrom('notificationOutbox')
    .selectAll()
    .where('notificationId', '=', notificationId)
    .executeTakeFirstOrThrow();

const emailTo = (url: string) =>
  createEmailChannel({ smtpUrl: url, from: 'Help desk <help@example.test>', timeoutMs: 2_000 });

describe('deliverOutboxBatch with the e-mail channel', () => {
  it('given a queued e-mail and a working SMTP server, then the mail arrives with its subject and recipient', async () => {
    const smtp = await startSmtpServer();
    const channel = emailTo(smtp.url);
    try {
      const { client, support, notificationId } = await givenClosedTicketNotification();

      await deliverOutboxBatch(db, { channels: [channel], batchSize: BATCH });

      const mails = smtp.mailsTo(client.user.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.subject).toBe('Your ticket was closed: Printer on fire');
      expect(mails[0]?.text).toContain(`${support.user.name} closed the ticket "Printer on fire".`);
      expect(mails[0]?.raw).toMatch(/^From: Help desk <help@example\.test>$/m);
      const row = await outboxRow(notificationId);
      expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
      expect(row.sentAt).toBeInstanceOf(Date);
    } finally {
      channel.close?.();
      await smtp.close();
    }
  });

  it('given the SMTP server is down, then the failure is recorded and retried later, and delivered once it is up', async () => {
    const probe = await startSmtpServer();
    const port = probe.port;
    await probe.close();
    const channel = emailTo(`smtp://127.0.0.1:${port}`);
    const { client, notificationId } = await givenClosedTicketNotification();

    const before = Date.now();
    await deliverOutboxBatch(db, { channels: [channel], batchSize: BATCH, retryBaseMs: HOUR });

    const failed = await outboxRow(notificationId);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    // Backed off (an hour, ±20 % jitter): the next run does not retry it yet.
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(before + 0.7 * HOUR);
    // The notification itself, written with the action, is untouched.
    expect(
      await db.selectFrom('notifications').select('id').where('id', '=', notificationId).execute(),
    ).toHaveLength(1);

    const smtp = await startSmtpServer(port);
    try {
      await deliverOutboxBatch(db, { channels: [channel], batchSize: BATCH });
      expect(smtp.mailsTo(client.user.email)).toHaveLength(0);

      await deliverOutboxBatch(db, { channels: [channel], batchSize: BATCH, now: later(2 * HOUR) });
      await deliverOutboxBatch(db, { channels: [channel], batchSize: BATCH, now: later(4 * HOUR) });

      expect(smtp.mailsTo(client.user.email)).toHaveLength(1);
      expect(await outboxRow(notificationId)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    } finally {
      channel.close?.();
      await smtp.close();
    }
  });

  it('given failures up to the attempt limit, then the row is given up and never retried', async () => {
    const failing: NotificationChannel = {
      name: 'email',
      deliver: async () => {
        throw new Error('mailbox unavailable');
      },
    };
    const { notificationId } = await givenClosedTicketNotification();

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await deliverOutboxBatch(db, {
        channels: [failing],
        batchSize: BATCH,
        maxAttempts: 3,
        now: later(attempt * 24 * HOUR),
      });
    }

    expect(await outboxRow(notificationId)).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'Error: mailbox unavailable',
    });
  });

  it('given two workers racing on the same outbox, then each e-mail is sent exactly once', async () => {
    const sent: string[] = [];
    const recording: NotificationChannel = {
      name: 'email',
      deliver: async (notification) => {
        sent.push(notification.id);
      },
    };
    const notifications = await Promise.all([1, 2, 3, 4].map(() => givenClosedTicketNotification()));
    const ids = notifications.map((n) => n.notificationId);

    await Promise.all([
      deliverOutboxBatch(db, { channels: [recording], batchSize: 3 }),
      deliverOutboxBatch(db, { channels: [recording], batchSize: 3 }),
      deliverOutboxBatch(db, { channels: [recording], batchSize: BATCH }),
    ]);

    const mine = sent.filter((id) => ids.includes(id));
    expect(mine.sort()).toEqual([...ids].sort());
  });

  it('given the recipient was deactivated after the event, then the e-mail is skipped', async () => {
    const delivered: string[] = [];
    const recording: NotificationChannel = {
      name: 'email',
      deliver: async (notification) => {
        delivered.push(notification.id);
      },
    };
    const { workspace, support } = await createWorkspaceWithCast(db);
    const leaver = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const ticket = await createTicket(db, { workspaceId: workspace.id, createdBy: leaver.user.id });
    const [notificationId] = await createNotifications(db, {
      workspaceId: workspace.id,
      type: 'ticket.closed',
      ticketId: ticket.id,
      actorId: support.user.id,
      recipientIds: [leaver.user.id],
      data: {},
    });
    await db.updateTable('users').set({ isActive: false }).where('id', '=', leaver.user.id).execute();

    await deliverOutboxBatch(db, { channels: [recording], batchSize: BATCH });

    expect(delivered).not.toContain(notificationId);
    expect(await outboxRow(notificationId!)).toMatchObject({
      status: 'skipped',
      lastError: 'recipient inactive',
    });
  });

  it('given no channel configured, then nothing is claimed: the e-mail waits for an instance that can send it', async () => {
    const { notificationId } = await givenClosedTicketNotification();

    const result = await deliverOutboxBatch(db, { channels: [] });

    expect(result.claimed).toBe(0);
    expect(await outboxRow(notificationId)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

describe('pruneOutbox', () => {
  it('deletes finished rows and long-undeliverable pending ones, and keeps the rest', async () => {
    const sent = await givenClosedTicketNotification();
    const fresh = await givenClosedTicketNotification();
    const stale = await givenClosedTicketNotification();
    const longAgo = new Date(Date.now() - 30 * 24 * HOUR);
    await db
      .updateTable('notificationOutbox')
      .set({ status: 'sent', updatedAt: longAgo })
      .where('notificationId', '=', sent.notificationId)
      .execute();
    await db
      .updateTable('notificationOutbox')
      .set({ nextAttemptAt: longAgo })
      .where('notificationId', '=', stale.notificationId)
      .execute();

    await pruneOutbox(db, new Date(Date.now() - 7 * 24 * HOUR));

    const remaining = await db
      .selectFrom('notificationOutbox')
      .select('notificationId')
      .where('notificationId', 'in', [sent.notificationId, fresh.notificationId, stale.notificationId])
      .execute();
    expect(remaining.map((row) => row.notificationId)).toEqual([fresh.notificationId]);
  });
});
