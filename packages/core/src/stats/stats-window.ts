import { AppError } from '../errors';
import { DEFAULT_STATS_SERIES_DAYS, type GenerateStatsInput, statsWindowIssue } from './schemas';

const DAY_MS = 86_400_000;

/** The instants and UTC days a report covers. */
export interface StatsWindow {
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

/** The window of a report asked for at `now`; throws VALIDATION_FAILED when `from`/`to` make no valid window. */
export function planWindow(input: GenerateStatsInput, now: Date): StatsWindow {
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

/**
 * [from, to) cut where the running totals can answer it: the UTC days it covers whole, read from
 * ticket_stats_daily, and at most two partial days at its edges, read from the tickets themselves.
 * A bound omitted is open, so its side needs no partial day.
 */
export interface DaySplit {
  /** First and last whole day (YYYY-MM-DD, inclusive; null is unbounded), or null when none. */
  wholeDays: { first: string | null; last: string | null } | null;
  partialRanges: Array<{ from: Date; to: Date }>;
}

export function splitByDay(from: Date | null, to: Date | null): DaySplit {
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
