import { isOneOf } from '@tickets/db';
import { type Expression, sql } from 'kysely';
import { AppError } from '../errors';
import type { Actor } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { scopeTicketsToActor } from '../policy/tickets';
import { resolveWorkspaceFilter } from '../policy/workspaces';
import type { Executor } from '../shared/transaction';
import { ticketCategories, ticketPriorities, ticketStatuses } from '../tickets/schemas';
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

type Dimension = 'total' | 'status' | 'priority' | 'category' | 'assignee' | 'sla';
type SlaMeasure = 'first_response_met' | 'first_response_breached' | 'resolution_met' | 'resolution_breached';

/**
 * [from, to) cut where the running totals can answer it: the UTC days it covers whole, read from
 * ticket_stats_daily, and at most two partial days at its edges, read from the tickets themselves.
 * A bound omitted is open, so its side needs no partial day.
 */
interface DaySplit {
  /** First and last whole day (YYYY-MM-DD, inclusive; null is unbounded), or null when none. */
  wholeDays: { first: string | null; last: string | null } | null;
  partialRanges: Array<{ from: Date; to: Date }>;
}

function splitByDay(from: Date | null, to: Date | null): DaySplit {
  const firstWhole =
    from && from.getTime() !== startOfUtcDay(from).getTime() ? addDays(startOfUtcDay(from), 1) : from;
  const endWhole = to ? startOfUtcDay(to) : null;
  if (from && to && firstWhole && endWhole && firstWhole.getTime() >= endWhole.getTime()) {
    return { wholeDays: null, partialRanges: from < to ? [{ from, to }] : [] };
  }
  const partialRanges: DaySplit['partialRanges'] = [];
  if (from && firstWhole && firstWhole.getTime() !== from.getTime())
    partialRanges.push({ from, to: firstWhole });
  if (to && endWhole && endWhole.getTime() !== to.getTime()) partialRanges.push({ from: endWhole, to });
  return {
    wholeDays: {
      first: firstWhole ? isoDay(firstWhole) : null,
      last: endWhole ? isoDay(addDays(endWhole, -1)) : null,
    },
    partialRanges,
  };
}

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

  const inWorkspace = workspaceId === null ? sql`true` : sql`workspace_id = ${workspaceId}`;
  const inWholeDays = ({ wholeDays }: DaySplit) =>
    wholeDays === null
      ? sql`false`
      : sql`${wholeDays.first === null ? sql`true` : sql`day >= ${wholeDays.first}::date`}
          and ${wholeDays.last === null ? sql`true` : sql`day <= ${wholeDays.last}::date`}`;
  // Parenthesised: it is and-ed with the workspace scope.
  const inPartialDays = (
    { partialRanges }: DaySplit,
    column: 'created_at' | 'resolved_at' | 'sla_first_response_breached_at' | 'sla_resolution_breached_at',
  ) =>
    sql<boolean>`(${sql.join(
      partialRanges.map(
        ({ from, to }) => sql`(${sql.ref(column)} >= ${from} and ${sql.ref(column)} < ${to})`,
      ),
      sql` or `,
    )})`;
  // Edge days are counted from the tickets only when the window has some: a query part that can never
  // match still costs planning and, priced pessimistically, can set off PostgreSQL's JIT compiler.
  const unionEdgeDays = ({ partialRanges }: DaySplit, part: () => Expression<unknown>) =>
    partialRanges.length === 0 ? sql`` : sql`union all ${part()}`;
  const partialTickets = () => {
    const tickets = scopeTicketsToActor(executor.selectFrom('tickets'), actor);
    return workspaceId === null ? tickets : tickets.where('tickets.workspaceId', '=', workspaceId);
  };

  // The cohort: whole days summed from the running totals, edge days grouped from the tickets in the
  // same shape (the grand total and each breakdown as grouping sets of one scan), then added up.
  // All time (no window, the usual dashboard call) has its own running totals: a few dozen rows.
  const allTime = window.from === null && window.to === null;
  const cohortDays = splitByDay(window.from, window.to);
  const measures = sql.raw(
    'dimension, value, tickets, closed, escalated, unassigned_open, resolved, resolution_ms, responded, first_response_ms',
  );
  const cohortFromTickets = partialTickets()
    .select([
      sql<Dimension>`case
        when grouping(status) = 0 then 'status'
        when grouping(priority) = 0 then 'priority'
        when grouping(category) = 0 then 'category'
        when grouping(assigned_to) = 0 then 'assignee'
        else 'total' end`.as('dimension'),
      sql<string | null>`case
        when grouping(status) = 0 then status
        when grouping(priority) = 0 then priority
        when grouping(category) = 0 then category
        when grouping(assigned_to) = 0 then assigned_to::text
        else '' end`.as('value'),
      sql`count(*)`.as('tickets'),
      sql`count(*) filter (where status = 'closed')`.as('closed'),
      sql`count(*) filter (where is_escalated)`.as('escalated'),
      sql`count(*) filter (where status <> 'closed' and assigned_to is null)`.as('unassignedOpen'),
      sql`count(*) filter (where status = 'closed' and resolved_at is not null)`.as('resolved'),
      sql`coalesce(sum(round(extract(epoch from resolved_at - created_at) * 1000))
        filter (where status = 'closed' and resolved_at is not null), 0)`.as('resolutionMs'),
      sql`count(first_response_at)`.as('responded'),
      sql`coalesce(sum(round(extract(epoch from first_response_at - created_at) * 1000)), 0)`.as(
        'firstResponseMs',
      ),
    ])
    .where(inPartialDays(cohortDays, 'created_at'))
    .groupBy(sql`grouping sets ((), (status), (priority), (category), (assigned_to))`);
  // Service levels of the same cohort: targets met and missed, from sla_stats_daily (migration 0007)
  // for whole days and from the tickets for edge days, as rows of dimension 'sla' (value: the measure).
  const slaFromTickets = () =>
    sql`select 'sla' as dimension, (r).measure as value, sum((r).n)::int as tickets, 0, 0, 0, 0, 0, 0, 0
      from (${partialTickets()
        .select(sql`sla_stats_rows(tickets)`.as('r'))
        .where(inPartialDays(cohortDays, 'created_at'))}) as edge_days
      where (r).measure <> 'breached_on' group by (r).measure`;
  const slaCohort = sql`
    union all
    select 'sla' as dimension, measure as value, sum(n)::int as tickets, 0, 0, 0, 0, 0, 0, 0
    from sla_stats_daily
    where ${inWorkspace} and measure <> 'breached_on' and ${allTime ? sql`true` : inWholeDays(cohortDays)}
    group by measure
    ${allTime ? sql`` : unionEdgeDays(cohortDays, slaFromTickets)}`;
  const cohortQuery = sql<{
    dimension: Dimension;
    value: string;
    assigneeName: string | null;
    tickets: number;
    closed: number;
    escalated: number;
    unassignedOpen: number;
    resolved: number;
    resolutionMs: number;
    responded: number;
    firstResponseMs: number;
  }>`
    with parts as (${
      allTime
        ? sql`select ${measures} from ticket_stats_total where ${inWorkspace}`
        : sql`select ${measures} from ticket_stats_daily
            where ${inWorkspace} and dimension <> 'closed_on' and ${inWholeDays(cohortDays)}
            ${unionEdgeDays(cohortDays, () => sql`select * from (${cohortFromTickets}) as edge_days where value is not null`)}`
    } ${slaCohort}), totals as (
      select dimension, value,
        sum(tickets)::int as tickets, sum(closed)::int as closed, sum(escalated)::int as escalated,
        sum(unassigned_open)::int as "unassignedOpen", sum(resolved)::int as resolved,
        sum(resolution_ms)::float8 as "resolutionMs", sum(responded)::int as responded,
        sum(first_response_ms)::float8 as "firstResponseMs"
      from parts
      group by dimension, value
      having dimension = 'total' or sum(tickets) > 0
    )
    select totals.*, users.name as "assigneeName"
    from totals
    left join users on users.id = case when totals.dimension = 'assignee' then totals.value::uuid end
    order by totals.tickets desc, users.name, totals.value`;

  // The series: tickets created and tickets closed per UTC day, whole days from the running totals
  // ('total' by creation day, 'closed_on' by close day), edge days from the tickets.
  const seriesDays = splitByDay(window.seriesFrom, window.seriesTo);
  const perDay = (dimension: 'total' | 'closed_on', column: 'created_at' | 'resolved_at') => sql`
    select day, tickets as n from ticket_stats_daily
    where ${inWorkspace} and dimension = ${dimension} and ${inWholeDays(seriesDays)}
    ${unionEdgeDays(seriesDays, () =>
      partialTickets()
        .select([sql`(${sql.ref(column)} at time zone 'UTC')::date`.as('day'), sql`count(*)`.as('n')])
        .where(inPartialDays(seriesDays, column))
        // A reopened ticket has no resolvedAt; the status check also guards rows written by hand.
        .$if(column === 'resolved_at', (query) => query.where('tickets.status', '=', 'closed'))
        .groupBy(sql`1`),
    )}`;
  // Targets missed per UTC day (by the day their due time passed), likewise.
  const breachesOn = (column: 'sla_first_response_breached_at' | 'sla_resolution_breached_at') =>
    partialTickets()
      .select([sql`(${sql.ref(column)} at time zone 'UTC')::date`.as('day'), sql`count(*)`.as('n')])
      .where(inPartialDays(seriesDays, column))
      .groupBy(sql`1`);
  const breachedPerDay = sql`
    select day, n from sla_stats_daily
    where ${inWorkspace} and measure = 'breached_on' and ${inWholeDays(seriesDays)}
    ${unionEdgeDays(seriesDays, () => sql`${breachesOn('sla_first_response_breached_at')} union all ${breachesOn('sla_resolution_breached_at')}`)}`;
  // Every day of the series appears, zero-filled, whatever happened on it.
  const dailyQuery = sql<DailyStats>`
    with created as (${perDay('total', 'created_at')}), closed as (${perDay('closed_on', 'resolved_at')}),
      breached as (${breachedPerDay})
    select to_char(series.day, 'YYYY-MM-DD') as date,
      coalesce(created.n, 0)::int as created,
      coalesce(closed.n, 0)::int as closed,
      coalesce(breached.n, 0)::int as "slaBreaches"
    from generate_series(${window.firstDay}::timestamp, ${window.lastDay}::timestamp, interval '1 day')
      as series(day)
    left join (select day, sum(n) as n from created group by day) created on created.day = series.day::date
    left join (select day, sum(n) as n from closed group by day) closed on closed.day = series.day::date
    left join (select day, sum(n) as n from breached group by day) breached on breached.day = series.day::date
    order by series.day`;

  const [cohortRows, daily] = await Promise.all([
    cohortQuery.execute(executor).then((result) => result.rows),
    dailyQuery.execute(executor).then((result) => result.rows),
  ]);

  const byStatus = zeroed(ticketStatuses);
  const byPriority = zeroed(ticketPriorities);
  const byCategory = zeroed(ticketCategories);
  const byAssignee: AssigneeStats[] = [];
  const sla: Record<SlaMeasure, number> = {
    first_response_met: 0,
    first_response_breached: 0,
    resolution_met: 0,
    resolution_breached: 0,
  };
  const total = cohortRows.find((row) => row.dimension === 'total');
  // `value` is text; isOneOf narrows it (the tickets' CHECK constraints let no other value in).
  for (const row of cohortRows) {
    if (row.dimension === 'status' && isOneOf(ticketStatuses, row.value)) byStatus[row.value] = row.tickets;
    if (row.dimension === 'priority' && isOneOf(ticketPriorities, row.value))
      byPriority[row.value] = row.tickets;
    if (row.dimension === 'category' && isOneOf(ticketCategories, row.value))
      byCategory[row.value] = row.tickets;
    if (row.dimension === 'sla') sla[row.value as SlaMeasure] = row.tickets;
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
