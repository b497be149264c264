import { sql } from 'kysely';
import { AppError } from '../errors';
import { type Actor, isStaff } from '../policy/actor';
import { scopeTicketsToActor } from '../policy/tickets';
import { resolveWorkspaceFilter } from '../policy/workspaces';
import type { Executor } from '../shared/transaction';
import {
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
  ticketCategories,
  ticketPriorities,
  ticketStatuses,
} from '../tickets/schemas';
import {
  type AssigneeStats,
  type DailyStats,
  DEFAULT_STATS_SERIES_DAYS,
  type GenerateStatsInput,
  type Stats,
  statsWindowIssue,
} from './schemas';

const DAY_MS = 86_400_000;

/** The instants and UTC days a report covers. */
interface StatsWindow {
  /** Bounds on createdAt for every figure but the series; null is unbounded. */
  from: Date | null;
  to: Date | null;
  /** First and last UTC day of the series, inclusive, as YYYY-MM-DD. */
  firstDay: string;
  lastDay: string;
  /** What the series counts: each day's events clipped to [seriesFrom, seriesTo). */
  seriesFrom: Date;
  seriesTo: Date;
}

const startOfUtcDay = (at: Date) =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
const addDays = (day: Date, days: number) => new Date(day.getTime() + days * DAY_MS);
const isoDay = (day: Date) => day.toISOString().slice(0, 10);

function planWindow(input: GenerateStatsInput, now: Date): StatsWindow {
  const { from, to } = input;
  if (from) {
    const issue = statsWindowIssue(from, to ?? now, to === undefined);
    if (issue) throw new AppError('VALIDATION_FAILED', issue.message, { field: issue.field });
  }
  // `to` is exclusive: a window ending at midnight does not reach into the next day.
  const lastDay = startOfUtcDay(to ? new Date(to.getTime() - 1) : now);
  const firstDay = from ? startOfUtcDay(from) : addDays(lastDay, -(DEFAULT_STATS_SERIES_DAYS - 1));
  return {
    from: from ?? null,
    to: to ?? null,
    firstDay: isoDay(firstDay),
    lastDay: isoDay(lastDay),
    seriesFrom: from ?? firstDay,
    seriesTo: to ?? addDays(lastDay, 1),
  };
}

type Dimension = 'total' | 'status' | 'priority' | 'category' | 'assignee';

const zeroed = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * The help-desk report of a workspace (superadmin: one named workspace, or all of them), in exactly two
 * SQL statements whatever the number of tickets, staff or days; no ticket is ever loaded.
 *
 * Like a Zendesk "tickets created" report, every figure but the series is about the tickets CREATED in
 * [from, to) (a bound omitted is open), seen as they are now:
 * - totalTickets: how many there are; byStatus / byPriority / byCategory split them by their current value.
 * - resolvedTickets: those closed now. avgResolutionSeconds: mean createdAt→resolvedAt over them
 *   (resolvedAt is the last close, since reopening clears it); null when none is closed.
 * - avgFirstResponseSeconds: mean createdAt→firstResponseAt over those answered by staff; null when none.
 * - escalatedTickets: those ever escalated (the flag outlives the escalated status).
 * - unassignedOpenTickets: those not closed and assigned to nobody.
 * - byAssignee: per assignee holding any of them, how many are closed and how many are not.
 * The daily series is about activity instead: per UTC day, the tickets created that day and the tickets
 * closed that day (closed now, last closed that day, whenever created), both clipped to [from, to). It
 * runs from the day of `from` (default: 29 days before its last day) to the day before `to` (default:
 * today), so with no `from` the totals cover all time while the series shows the last 30 days.
 */
export async function generateStats(
  executor: Executor,
  actor: Actor,
  input: GenerateStatsInput,
  { now = new Date() }: { now?: Date } = {},
): Promise<Stats> {
  if (!isStaff(actor)) throw new AppError('FORBIDDEN', 'Only staff may see statistics.');
  const workspaceId = resolveWorkspaceFilter(actor, input.workspaceId);
  const window = planWindow(input, now);

  const scopedTickets = () => {
    const tickets = scopeTicketsToActor(executor.selectFrom('tickets'), actor);
    return workspaceId === null ? tickets : tickets.where('tickets.workspaceId', '=', workspaceId);
  };

  // One pass over the window's tickets: the grand total and each breakdown are grouping sets of the
  // same scan, so they always add up. Assignee names are joined to the few grouped rows, not to tickets.
  let cohort = scopedTickets()
    .select([
      sql<Dimension>`case
        when grouping(status) = 0 then 'status'
        when grouping(priority) = 0 then 'priority'
        when grouping(category) = 0 then 'category'
        when grouping(assigned_to) = 0 then 'assignee'
        else 'total' end`.as('dimension'),
      'status',
      'priority',
      'category',
      'assignedTo',
      sql<number>`count(*)::int`.as('tickets'),
      sql<number>`(count(*) filter (where status = 'closed'))::int`.as('closed'),
      sql<number>`(count(*) filter (where is_escalated))::int`.as('escalated'),
      sql<number>`(count(*) filter (where status <> 'closed' and assigned_to is null))::int`.as(
        'unassignedOpen',
      ),
      sql<number | null>`(avg(extract(epoch from resolved_at - created_at))
        filter (where status = 'closed' and resolved_at is not null))::float8`.as('avgResolutionSeconds'),
      sql<number | null>`(avg(extract(epoch from first_response_at - created_at)))::float8`.as(
        'avgFirstResponseSeconds',
      ),
    ])
    .groupBy(sql`grouping sets ((), (status), (priority), (category), (assigned_to))`);
  if (window.from) cohort = cohort.where('tickets.createdAt', '>=', window.from);
  if (window.to) cohort = cohort.where('tickets.createdAt', '<', window.to);

  const cohortQuery = executor
    .with('cohort', () => cohort)
    .selectFrom('cohort')
    .leftJoin('users', 'users.id', 'cohort.assignedTo')
    .selectAll('cohort')
    .select('users.name as assigneeName')
    .orderBy('cohort.tickets', 'desc')
    .orderBy('users.name')
    .orderBy('cohort.assignedTo');

  const perDay = (column: 'createdAt' | 'resolvedAt') => {
    const at = sql.ref(`tickets.${column}`);
    const events = scopedTickets()
      .select([sql<string>`(${at} at time zone 'UTC')::date`.as('day'), sql<number>`count(*)::int`.as('n')])
      .where(sql<boolean>`${at} >= ${window.seriesFrom} and ${at} < ${window.seriesTo}`)
      .groupBy(sql`1`);
    // A reopened ticket has no resolvedAt; the status check also guards rows written by hand.
    return column === 'resolvedAt' ? events.where('tickets.status', '=', 'closed') : events;
  };
  // Every day of the series appears, zero-filled, whatever happened on it.
  const dailyQuery = sql<DailyStats>`
    with created as (${perDay('createdAt')}), closed as (${perDay('resolvedAt')})
    select to_char(series.day, 'YYYY-MM-DD') as date,
      coalesce(created.n, 0) as created,
      coalesce(closed.n, 0) as closed
    from generate_series(${window.firstDay}::timestamp, ${window.lastDay}::timestamp, interval '1 day')
      as series(day)
    left join created on created.day = series.day::date
    left join closed on closed.day = series.day::date
    order by series.day`;

  const [cohortRows, daily] = await Promise.all([
    cohortQuery.execute(),
    dailyQuery.execute(executor).then((result) => result.rows),
  ]);

  const byStatus = zeroed(ticketStatuses);
  const byPriority = zeroed(ticketPriorities);
  const byCategory = zeroed(ticketCategories);
  const byAssignee: AssigneeStats[] = [];
  // The empty grouping set yields its row even over no tickets (count 0, averages null).
  const total = cohortRows.find((row) => row.dimension === 'total');
  if (!total) throw new Error('The statistics query returned no grand-total row.');
  for (const row of cohortRows) {
    if (row.dimension === 'status') byStatus[row.status as TicketStatus] = row.tickets;
    if (row.dimension === 'priority') byPriority[row.priority as TicketPriority] = row.tickets;
    if (row.dimension === 'category') byCategory[row.category as TicketCategory] = row.tickets;
    if (row.dimension === 'assignee' && row.assignedTo !== null) {
      byAssignee.push({
        assigneeId: row.assignedTo,
        name: row.assigneeName ?? '',
        open: row.tickets - row.closed,
        closed: row.closed,
      });
    }
  }

  return {
    totalTickets: total.tickets,
    resolvedTickets: total.closed,
    avgResolutionSeconds: total.avgResolutionSeconds,
    avgFirstResponseSeconds: total.avgFirstResponseSeconds,
    escalatedTickets: total.escalated,
    unassignedOpenTickets: total.unassignedOpen,
    byStatus,
    byPriority,
    byCategory,
    byAssignee,
    daily,
  };
}
