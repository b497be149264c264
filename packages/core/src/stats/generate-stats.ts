import { isOneOf } from '@tickets/db';
import type { Actor } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { resolveWorkspaceFilter } from '../policy/workspaces';
import type { Executor } from '../shared/transaction';
import { ticketCategories, ticketPriorities, ticketStatuses } from '../tickets/schemas';
import { type CohortRow, cohortQuery } from './cohort-query';
import { dailySeriesQuery } from './daily-series-query';
import type { AssigneeStats, DailyStats, GenerateStatsInput, Stats } from './schemas';
import { statsScope } from './stats-scope';
import { planWindow } from './stats-window';

// The measures a report shows; the daily table also counts breaches by the day they happened (breached_on).
const reportedSlaMeasures = [
  'first_response_met',
  'first_response_breached',
  'resolution_met',
  'resolution_breached',
] as const;

const zeroed = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * The help-desk report of a workspace (superadmin: one named workspace, or all of them), in exactly two
 * SQL statements whatever the number of tickets, staff or days; no ticket is loaded into the process.
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
 *
 * The figures come from running totals that a trigger keeps exact (migration 0006): per workspace over
 * all time (ticket_stats_total, for a report with no window) and per creation day (ticket_stats_daily),
 * so a report reads a few rows per day of its window, never every ticket; only the partial days at a
 * window's edges are counted from the tickets. Staff see every ticket of their workspace, which is
 * what the per-workspace totals count.
 */
export async function generateStats(
  executor: Executor,
  actor: Actor,
  input: GenerateStatsInput,
  { now = new Date() }: { now?: Date } = {},
): Promise<Stats> {
  assertCan(actor, 'stats:read');
  const workspaceId = resolveWorkspaceFilter(actor, input.workspaceId);
  const window = planWindow(input, now);
  const scope = statsScope(executor, actor, workspaceId);
  const [cohortRows, daily] = await Promise.all([
    cohortQuery(scope, window).execute(executor),
    dailySeriesQuery(scope, window).execute(executor),
  ]);
  return reportFrom(cohortRows.rows, daily.rows);
}

/** The report, from the cohort's rows (one per dimension and value) and the daily series. */
function reportFrom(cohortRows: CohortRow[], daily: DailyStats[]): Stats {
  const byStatus = zeroed(ticketStatuses);
  const byPriority = zeroed(ticketPriorities);
  const byCategory = zeroed(ticketCategories);
  const byAssignee: AssigneeStats[] = [];
  const sla = zeroed(reportedSlaMeasures);
  const total = cohortRows.find((row) => row.dimension === 'total');
  // `value` is text; isOneOf narrows it (the tickets' CHECK constraints let no other value in).
  for (const row of cohortRows) {
    if (row.dimension === 'status' && isOneOf(ticketStatuses, row.value)) byStatus[row.value] = row.tickets;
    if (row.dimension === 'priority' && isOneOf(ticketPriorities, row.value))
      byPriority[row.value] = row.tickets;
    if (row.dimension === 'category' && isOneOf(ticketCategories, row.value))
      byCategory[row.value] = row.tickets;
    if (row.dimension === 'sla' && isOneOf(reportedSlaMeasures, row.value)) sla[row.value] = row.tickets;
    if (row.dimension === 'assignee') {
      byAssignee.push({
        assigneeId: row.value,
        name: row.assigneeName ?? '',
        open: row.tickets - row.closed,
        closed: row.closed,
      });
    }
  }
  const meanSeconds = (totalMs: number, count: number) => (count > 0 ? totalMs / count / 1000 : null);
  const target = (met: number, breached: number) => ({
    met,
    breached,
    metShare: met + breached > 0 ? met / (met + breached) : null,
  });

  return {
    totalTickets: total?.tickets ?? 0,
    resolvedTickets: total?.closed ?? 0,
    avgResolutionSeconds: total ? meanSeconds(total.resolutionMs, total.resolved) : null,
    avgFirstResponseSeconds: total ? meanSeconds(total.firstResponseMs, total.responded) : null,
    escalatedTickets: total?.escalated ?? 0,
    unassignedOpenTickets: total?.unassignedOpen ?? 0,
    byStatus,
    byPriority,
    byCategory,
    byAssignee,
    serviceLevels: {
      firstResponse: target(sla.first_response_met, sla.first_response_breached),
      resolution: target(sla.resolution_met, sla.resolution_breached),
    },
    daily,
  };
}
