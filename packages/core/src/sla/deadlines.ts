import { recordAuditEvent } from '../audit/record-audit-event';
import { createNotifications } from '../notifications/create-notifications';
import { type Executor, inTransaction } from '../shared/transaction';
import { nextDue } from './clock';

export interface SlaDeadlineOptions {
  /** How long before a due time its warning goes out; 0 sends none. */
  warningLeadMs: number;
  /** Tickets handled per transaction. */
  batchSize?: number;
  now?: () => Date;
}

export interface SlaDeadlineResult {
  /** Tickets claimed in this batch. */
  claimed: number;
  breaches: number;
  warnings: number;
}

type Target = 'firstResponse' | 'resolution';

/**
 * One batch of the breach worker: claims tickets with a running target due (or, for warnings, due within
 * the lead) with FOR UPDATE SKIP LOCKED, so instances running it side by side never take the same ticket,
 * and for each target that fell due writes the `sla.breached` audit event and notifies the assignee and
 * the workspace's admins (`sla.breached`; `sla.warning` before). The flag that says "announced" is set in
 * the same transaction as the event and the notifications, so each breach and each warning is announced
 * exactly once, across restarts and instances. Call again while `claimed` equals the batch size.
 */
export async function processSlaDeadlines(
  db: Executor,
  options: SlaDeadlineOptions,
): Promise<SlaDeadlineResult> {
  const { warningLeadMs, batchSize = 100, now: clock = () => new Date() } = options;
  const now = clock();
  const horizon = new Date(now.getTime() + warningLeadMs);
  return inTransaction(db, async (tx) => {
    const rows = await claimTicketsFallingDue(tx, now, horizon, batchSize);
    const result: SlaDeadlineResult = { claimed: rows.length, breaches: 0, warnings: 0 };
    if (rows.length === 0) return result;
    // Written workspace by workspace: the statistics triggers lock each workspace's totals at commit in
    // the order the tickets changed, and one order for every worker means no deadlock between them.
    rows.sort((a, b) => (a.workspaceId < b.workspaceId ? -1 : a.workspaceId > b.workspaceId ? 1 : 0));

    const admins = await activeAdminsOf(tx, [...new Set(rows.map((row) => row.workspaceId))]);
    for (const row of rows) {
      const falling = targetsFallingDue(row, now, horizon);
      await markAnnounced(tx, row, falling, now);
      const recipientIds = [
        row.assignedTo,
        ...admins.filter((admin) => admin.workspaceId === row.workspaceId).map((admin) => admin.id),
      ];
      await announce(tx, row, falling, recipientIds);
      result.breaches += falling.breached.length;
      result.warnings += falling.warned.length;
    }
    return result;
  });
}

type ClaimedTicket = Awaited<ReturnType<typeof claimTicketsFallingDue>>[number];

/** The targets of a ticket that fell due (breached) or fall due within the warning lead (warned). */
interface FallingDue {
  breached: Target[];
  warned: Target[];
}

/** Claims (FOR UPDATE SKIP LOCKED) up to `batchSize` tickets with a breach or a warning to announce. */
function claimTicketsFallingDue(tx: Executor, now: Date, horizon: Date, batchSize: number) {
  return (
    tx
      .selectFrom('tickets')
      .select([
        'id',
        'workspaceId',
        'title',
        'priority',
        'assignedTo',
        'firstResponseAt',
        'slaRunningSince',
        'slaFirstResponseDueAt',
        'slaResolutionDueAt',
        'slaFirstResponseBreachedAt',
        'slaResolutionBreachedAt',
        'slaFirstResponseWarnedAt',
        'slaResolutionWarnedAt',
      ])
      // The partial index on the nearest running target; then only rows with something to announce
      // (a ticket warned already and not yet due is passed over).
      .where('slaNextDueAt', '<=', horizon)
      .where((eb) =>
        eb.or([
          eb('slaNextDueAt', '<=', now),
          eb.and([
            eb('firstResponseAt', 'is', null),
            eb('slaFirstResponseBreachedAt', 'is', null),
            eb('slaFirstResponseWarnedAt', 'is', null),
            eb('slaFirstResponseDueAt', '<=', horizon),
          ]),
          eb.and([
            eb('slaResolutionBreachedAt', 'is', null),
            eb('slaResolutionWarnedAt', 'is', null),
            eb('slaResolutionDueAt', '<=', horizon),
          ]),
        ]),
      )
      .orderBy('slaNextDueAt')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute()
  );
}

const dueTimesOf = (row: ClaimedTicket): Record<Target, Date | null> => ({
  firstResponse: row.slaFirstResponseDueAt,
  resolution: row.slaResolutionDueAt,
});

function activeAdminsOf(tx: Executor, workspaceIds: string[]) {
  return tx
    .selectFrom('users')
    .select(['id', 'workspaceId'])
    .where('workspaceId', 'in', workspaceIds)
    .where('role', '=', 'admin')
    .where('isActive', '=', true)
    .execute();
}

function targetsFallingDue(row: ClaimedTicket, now: Date, horizon: Date): FallingDue {
  const pendingFirstResponse = row.firstResponseAt === null && row.slaFirstResponseBreachedAt === null;
  const pendingResolution = row.slaResolutionBreachedAt === null;
  const due = dueTimesOf(row);
  const isPast = (at: Date | null, limit: Date) => at !== null && at.getTime() <= limit.getTime();
  const breached: Target[] = [];
  const warned: Target[] = [];
  if (pendingFirstResponse && isPast(due.firstResponse, now)) breached.push('firstResponse');
  else if (
    pendingFirstResponse &&
    row.slaFirstResponseWarnedAt === null &&
    isPast(due.firstResponse, horizon)
  )
    warned.push('firstResponse');
  if (pendingResolution && isPast(due.resolution, now)) breached.push('resolution');
  else if (pendingResolution && row.slaResolutionWarnedAt === null && isPast(due.resolution, horizon))
    warned.push('resolution');
  return { breached, warned };
}

/**
 * Sets the flags that say "announced" (breach times, warning times) and the ticket's next due time, in the
 * transaction that writes the announcements: each breach and warning goes out exactly once.
 */
async function markAnnounced(tx: Executor, row: ClaimedTicket, { breached, warned }: FallingDue, now: Date) {
  const due = dueTimesOf(row);
  const marks = {
    slaFirstResponseBreachedAt: breached.includes('firstResponse')
      ? due.firstResponse
      : row.slaFirstResponseBreachedAt,
    slaResolutionBreachedAt: breached.includes('resolution') ? due.resolution : row.slaResolutionBreachedAt,
    slaFirstResponseWarnedAt:
      warned.includes('firstResponse') || breached.includes('firstResponse')
        ? now
        : row.slaFirstResponseWarnedAt,
    slaResolutionWarnedAt:
      warned.includes('resolution') || breached.includes('resolution') ? now : row.slaResolutionWarnedAt,
  };
  await tx
    .updateTable('tickets')
    .set({
      ...marks,
      slaNextDueAt: nextDue(
        {
          slaRunningSince: row.slaRunningSince,
          slaFirstResponseDueAt: row.slaFirstResponseDueAt,
          slaResolutionDueAt: row.slaResolutionDueAt,
          ...marks,
        },
        { responded: row.firstResponseAt !== null },
      ),
    })
    .where('id', '=', row.id)
    .execute();
}

/** The `sla.breached` audit event and notification for each breach, the `sla.warning` for each warning. */
async function announce(
  tx: Executor,
  row: ClaimedTicket,
  { breached, warned }: FallingDue,
  recipientIds: Array<string | null>,
) {
  const due = dueTimesOf(row);
  for (const target of breached) {
    const data = { target, priority: row.priority, dueAt: due[target]?.toISOString() ?? null };
    await recordAuditEvent(tx, {
      workspaceId: row.workspaceId,
      ticketId: row.id,
      actorId: null,
      action: 'sla.breached',
      data,
    });
    await createNotifications(tx, {
      workspaceId: row.workspaceId,
      type: 'sla.breached',
      ticketId: row.id,
      actorId: null,
      recipientIds,
      data: { title: row.title, ...data },
    });
  }
  for (const target of warned) {
    await createNotifications(tx, {
      workspaceId: row.workspaceId,
      type: 'sla.warning',
      ticketId: row.id,
      actorId: null,
      recipientIds,
      data: {
        title: row.title,
        target,
        priority: row.priority,
        dueAt: due[target]?.toISOString() ?? null,
      },
    });
  }
}
