import { isStaffRole } from '../policy/actor';
import type { Executor } from '../shared/transaction';
import type { DeliverableNotification, NotificationChannel, NotificationRecipient } from './channel';
import type { NotificationType } from './create-notifications';

export interface OutboxDeliveryOptions {
  channels: readonly NotificationChannel[];
  /** Rows claimed per call. */
  batchSize?: number;
  /** How long a claimed row stays invisible to other workers: a worker that dies mid-send is retried after it. */
  leaseMs?: number;
  /** After this many failed attempts the row is given up (status `failed`). */
  maxAttempts?: number;
  /** First retry delay; doubled on each further failure, up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  now?: () => Date;
}

export interface OutboxDeliveryResult {
  claimed: number;
  sent: number;
  /** Failed this time, retried later. */
  retrying: number;
  /** Failed for the last time. */
  failed: number;
  /** The recipient was deactivated after the notification was written. */
  skipped: number;
}

const MAX_ERROR_LENGTH = 1_000;

/**
 * Claims a batch of due outbox rows (FOR UPDATE SKIP LOCKED, so workers on several instances never take
 * the same row), delivers each on its channel, and records the outcome. The claim commits before any
 * delivery starts: no transaction stays open while an SMTP server answers.
 */
export async function deliverOutboxBatch(
  db: Executor,
  options: OutboxDeliveryOptions,
): Promise<OutboxDeliveryResult> {
  const {
    channels,
    batchSize = 20,
    leaseMs = 5 * 60_000,
    maxAttempts = 10,
    retryBaseMs = 30_000,
    retryMaxMs = 6 * 60 * 60_000,
    now: clock = () => new Date(),
  } = options;
  const result: OutboxDeliveryResult = { claimed: 0, sent: 0, retrying: 0, failed: 0, skipped: 0 };
  // Only rows this worker can deliver: an instance without SMTP configured never takes another's e-mail.
  if (channels.length === 0) return result;
  const claimed = await claimDueRows(db, channels, clock(), { leaseMs, batchSize });
  result.claimed = claimed.length;
  if (claimed.length === 0) return result;

  const notificationIds = claimed.map((row) => row.notificationId);
  const details = await readDeliveryDetails(db, notificationIds);
  const byId = new Map(details.map((detail) => [detail.id, detail]));
  const outcomes = await Promise.all(
    claimed.map((row) => deliverOne(row, channels, byId.get(row.notificationId))),
  );

  const finished = clock();
  result.sent = await recordSent(db, outcomes, finished);
  for (const outcome of outcomes) {
    const recorded = await recordNotSent(db, outcome, finished, { maxAttempts, retryBaseMs, retryMaxMs });
    if (recorded) result[recorded] += 1;
  }
  return result;
}

type ClaimedRow = Awaited<ReturnType<typeof claimDueRows>>[number];
type DeliveryDetail = Awaited<ReturnType<typeof readDeliveryDetails>>[number];

/** What became of one claimed row: sent (neither `skip` nor `error`), skipped, or failed. */
interface Outcome {
  id: string;
  attempts: number;
  skip?: string;
  error?: unknown;
}

interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** Claims due rows of these channels for `leaseMs`, counting the attempt. */
function claimDueRows(
  db: Executor,
  channels: readonly NotificationChannel[],
  now: Date,
  { leaseMs, batchSize }: { leaseMs: number; batchSize: number },
) {
  return db
    .updateTable('notificationOutbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      nextAttemptAt: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notificationOutbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('nextAttemptAt', '<=', now)
        .where(
          'channel',
          'in',
          channels.map((channel) => channel.name),
        )
        .orderBy('nextAttemptAt')
        .limit(batchSize)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'notificationId', 'channel', 'attempts'])
    .execute();
}

/** The notifications behind claimed rows, with their recipient, actor and ticket title. */
function readDeliveryDetails(db: Executor, notificationIds: string[]) {
  return db
    .selectFrom('notifications')
    .innerJoin('users as recipient', 'recipient.id', 'notifications.userId')
    .leftJoin('users as actor', 'actor.id', 'notifications.actorId')
    .leftJoin('tickets', 'tickets.id', 'notifications.ticketId')
    .select([
      'notifications.id',
      'notifications.type',
      'notifications.ticketId',
      'notifications.data',
      'notifications.createdAt',
      'recipient.id as recipientId',
      'recipient.email as recipientEmail',
      'recipient.name as recipientName',
      'recipient.isActive as recipientActive',
      'recipient.role as recipientRole',
      'notifications.internal',
      'actor.name as actorName',
      'tickets.title as ticketTitle',
    ])
    .where('notifications.id', 'in', notificationIds)
    .execute();
}

/** Delivers one claimed row on its channel, unless its recipient may no longer receive it. */
async function deliverOne(
  row: ClaimedRow,
  channels: readonly NotificationChannel[],
  detail: DeliveryDetail | undefined,
): Promise<Outcome> {
  const channel = channels.find((candidate) => candidate.name === row.channel);
  if (!channel || !detail?.recipientActive) {
    return { id: row.id, attempts: row.attempts, skip: 'recipient inactive' };
  }
  // Judged again at delivery by the recipient's role now: one demoted since gets no internal news.
  if (detail.internal && !isStaffRole(detail.recipientRole)) {
    return { id: row.id, attempts: row.attempts, skip: 'recipient no longer staff' };
  }
  const notification: DeliverableNotification = {
    id: detail.id,
    type: detail.type as NotificationType,
    ticketId: detail.ticketId,
    ticketTitle: detail.ticketTitle,
    actorName: detail.actorName,
    data: detail.data,
    createdAt: detail.createdAt,
  };
  const recipient: NotificationRecipient = {
    id: detail.recipientId,
    email: detail.recipientEmail,
    name: detail.recipientName,
  };
  try {
    await channel.deliver(notification, recipient);
    return { id: row.id, attempts: row.attempts };
  } catch (error) {
    return { id: row.id, attempts: row.attempts, error };
  }
}

/** Marks the rows delivered as sent, in one statement; returns how many. */
async function recordSent(db: Executor, outcomes: Outcome[], finished: Date): Promise<number> {
  const sentIds = outcomes.filter((o) => o.skip === undefined && o.error === undefined).map((o) => o.id);
  if (sentIds.length > 0) {
    await db
      .updateTable('notificationOutbox')
      .set({ status: 'sent', sentAt: finished, lastError: null, updatedAt: finished })
      .where('id', 'in', sentIds)
      .execute();
  }
  return sentIds.length;
}

/** Records a row skipped or failed (retried with backoff, or given up); returns which, or null if it was sent. */
async function recordNotSent(
  db: Executor,
  outcome: Outcome,
  finished: Date,
  { maxAttempts, retryBaseMs, retryMaxMs }: RetryPolicy,
): Promise<'skipped' | 'retrying' | 'failed' | null> {
  if (outcome.skip !== undefined) {
    await db
      .updateTable('notificationOutbox')
      .set({ status: 'skipped', lastError: outcome.skip, updatedAt: finished })
      .where('id', '=', outcome.id)
      .execute();
    return 'skipped';
  }
  if (outcome.error !== undefined) {
    const giveUp = outcome.attempts >= maxAttempts;
    const delay = Math.min(retryBaseMs * 2 ** (outcome.attempts - 1), retryMaxMs);
    // Jitter spreads the retries of a batch that failed together (an SMTP outage) over time.
    const jittered = Math.round(delay * (0.8 + Math.random() * 0.4));
    await db
      .updateTable('notificationOutbox')
      .set({
        status: giveUp ? 'failed' : 'pending',
        nextAttemptAt: new Date(finished.getTime() + jittered),
        lastError: errorText(outcome.error),
        updatedAt: finished,
      })
      .where('id', '=', outcome.id)
      .execute();
    return giveUp ? 'failed' : 'retrying';
  }
  return null;
}

/**
 * Deletes rows finished (sent, failed, skipped) before `olderThan`, and pending ones due since before it
 * that no worker took: no instance has their channel configured, and a days-old e-mail about a ticket
 * event is noise. Returns how many.
 */
export async function pruneOutbox(db: Executor, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('notificationOutbox')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '<>', 'pending'), eb('updatedAt', '<', olderThan)]),
        eb.and([eb('status', '=', 'pending'), eb('nextAttemptAt', '<', olderThan)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}
