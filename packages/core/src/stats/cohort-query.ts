import { sql } from 'kysely';
import type { StatsScope } from './stats-scope';
import { type DaySplit, type StatsWindow, splitByDay } from './stats-window';

export type Dimension = 'total' | 'status' | 'priority' | 'category' | 'assignee' | 'sla';

/** One figure of the cohort: a dimension's value ('' for the total) and its sums. */
export interface CohortRow {
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
}

const measures = sql.raw(
  'dimension, value, tickets, closed, escalated, unassigned_open, resolved, resolution_ms, responded, first_response_ms',
);

/**
 * The cohort: whole days summed from the running totals, edge days grouped from the tickets in the
 * same shape (the grand total and each breakdown as grouping sets of one scan), then added up.
 * All time (no window, the usual dashboard call) has its own running totals: a few dozen rows.
 */
export function cohortQuery(scope: StatsScope, window: StatsWindow) {
  const { inWorkspace, inWholeDays, unionEdgeDays } = scope;
  const allTime = window.from === null && window.to === null;
  const cohortDays = splitByDay(window.from, window.to);
  return sql<CohortRow>`
    with parts as (${
      allTime
        ? sql`select ${measures} from ticket_stats_total where ${inWorkspace}`
        : sql`select ${measures} from ticket_stats_daily
            where ${inWorkspace} and dimension <> 'closed_on' and ${inWholeDays(cohortDays)}
            ${unionEdgeDays(cohortDays, () => sql`select * from (${cohortFromTickets(scope, cohortDays)}) as edge_days where value is not null`)}`
    } ${slaCohort(scope, cohortDays, allTime)}), totals as (
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
}

/** The cohort's edge days counted from the tickets, in the running totals' shape. */
function cohortFromTickets({ partialTickets, inPartialDays }: StatsScope, cohortDays: DaySplit) {
  return partialTickets()
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
}

/**
 * Service levels of the same cohort: targets met and missed, from sla_stats_daily (migration 0007)
 * for whole days and from the tickets for edge days, as rows of dimension 'sla' (value: the measure).
 */
function slaCohort(scope: StatsScope, cohortDays: DaySplit, allTime: boolean) {
  const { partialTickets, inPartialDays, inWorkspace, inWholeDays, unionEdgeDays } = scope;
  const slaFromTickets = () =>
    sql`select 'sla' as dimension, (r).measure as value, sum((r).n)::int as tickets, 0, 0, 0, 0, 0, 0, 0
      from (${partialTickets()
        .select(sql`sla_stats_rows(tickets)`.as('r'))
        .where(inPartialDays(cohortDays, 'created_at'))}) as edge_days
      where (r).measure <> 'breached_on' group by (r).measure`;
  return sql`
    union all
    select 'sla' as dimension, measure as value, sum(n)::int as tickets, 0, 0, 0, 0, 0, 0, 0
    from sla_stats_daily
    where ${inWorkspace} and measure <> 'breached_on' and ${allTime ? sql`true` : inWholeDays(cohortDays)}
    group by measure
    ${allTime ? sql`` : unionEdgeDays(cohortDays, slaFromTickets)}`;
}
