import { sql } from 'kysely';
import type { DailyStats } from './schemas';
import type { StatsScope } from './stats-scope';
import { type DaySplit, type StatsWindow, splitByDay } from './stats-window';

/**
 * The series: tickets created, tickets closed and targets missed per UTC day, whole days from the running
 * totals, edge days from the tickets. Every day of the series appears, zero-filled, whatever happened on it.
 */
export function dailySeriesQuery(scope: StatsScope, window: StatsWindow) {
  const seriesDays = splitByDay(window.seriesFrom, window.seriesTo);
  return sql<DailyStats>`
    with created as (${perDay(scope, seriesDays, 'total', 'created_at')}),
      closed as (${perDay(scope, seriesDays, 'closed_on', 'resolved_at')}),
      breached as (${breachedPerDay(scope, seriesDays)})
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
}

/** Tickets created ('total', by creation day) or closed ('closed_on', by close day) per UTC day. */
function perDay(
  { inWorkspace, inWholeDays, unionEdgeDays, partialTickets, inPartialDays }: StatsScope,
  seriesDays: DaySplit,
  dimension: 'total' | 'closed_on',
  column: 'created_at' | 'resolved_at',
) {
  return sql`
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
}

/** Targets missed per UTC day (by the day their due time passed), likewise. */
function breachedPerDay(scope: StatsScope, seriesDays: DaySplit) {
  const { inWorkspace, inWholeDays, unionEdgeDays, partialTickets, inPartialDays } = scope;
  const breachesOn = (column: 'sla_first_response_breached_at' | 'sla_resolution_breached_at') =>
    partialTickets()
      .select([sql`(${sql.ref(column)} at time zone 'UTC')::date`.as('day'), sql`count(*)`.as('n')])
      .where(inPartialDays(seriesDays, column))
      .groupBy(sql`1`);
  return sql`
    select day, n from sla_stats_daily
    where ${inWorkspace} and measure = 'breached_on' and ${inWholeDays(seriesDays)}
    ${unionEdgeDays(seriesDays, () => sql`${breachesOn('sla_first_response_breached_at')} union all ${breachesOn('sla_resolution_breached_at')}`)}`;
}
