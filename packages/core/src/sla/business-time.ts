import { IANAZone } from 'luxon';

// Business-time arithmetic: how much opening time lies between two instants, and which instant lies a
// given amount of opening time after another. An instant is open when its local wall-clock time in the
// calendar's zone (at the offset in force at that instant) falls inside an opening interval of its
// weekday, on a date that is not a holiday. So a 01:00–04:00 interval lasts 2 h on the night clocks
// spring forward and 4 h on the night they fall back, exactly as a clock on the office wall would say.
// The zone's offsets come from the IANA database through Luxon (Intl); everything else is arithmetic
// on "wall milliseconds" (the local wall time read as if it were UTC), which has no DST.

/** A workspace's opening hours. */
export interface BusinessCalendar {
  /** IANA time-zone name, e.g. Europe/Berlin. */
  timeZone: string;
  /** Opening intervals in local wall-clock time, several a day allowed; weekday 1 = Monday … 7 = Sunday. */
  hours: ReadonlyArray<{ weekday: number; start: string; end: string }>;
  /** Local dates (YYYY-MM-DD) on which the desk is closed all day. */
  holidays: readonly string[];
}

/** A calendar, or null for calendar hours (always open: business time is elapsed time). */
export type TimeBasis = BusinessCalendar | null;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Offsets are probed this far apart; real zones never change offset twice within it. */
const PROBE_MS = 6 * 60 * MINUTE_MS;
/** A calendar that leaves this long without opening time (holidays covering every open day) is refused. */
const HORIZON_MS = 20 * 366 * DAY_MS;

/** "HH:MM" (00:00 … 24:00) → minutes since local midnight. */
export function wallMinutes(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

interface CompiledCalendar {
  zone: IANAZone;
  /** Index 1..7: sorted [startMinute, endMinute) pairs. */
  byWeekday: Array<Array<readonly [number, number]>>;
  holidays: ReadonlySet<string>;
}

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiled.get(calendar);
  if (cached) return cached;
  const zone = IANAZone.create(calendar.timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown time zone ${calendar.timeZone}`);
  const byWeekday: Array<Array<readonly [number, number]>> = Array.from({ length: 8 }, () => []);
  for (const interval of calendar.hours) {
    const start = wallMinutes(interval.start);
    const end = wallMinutes(interval.end);
    if (end > start) byWeekday[interval.weekday]?.push([start, end]);
  }
  for (const day of byWeekday) day.sort((a, b) => a[0] - b[0]);
  const result = { zone, byWeekday, holidays: new Set(calendar.holidays) };
  compiled.set(calendar, result);
  return result;
}

const offsetMs = (zone: IANAZone, at: number) => zone.offset(at) * MINUTE_MS;

/** The first instant after `from` whose offset differs from `offset`, or `limit` if none before it. */
function nextOffsetChange(zone: IANAZone, from: number, offset: number, limit: number): number {
  let low = from;
  for (let probe = from + PROBE_MS; ; probe += PROBE_MS) {
    const high = Math.min(probe, limit);
    if (offsetMs(zone, high) !== offset) {
      // The offset changes in (low, high]: narrow down to the millisecond.
      let lo = low;
      let hi = high;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetMs(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      return hi;
    }
    if (high >= limit) return limit;
    low = high;
  }
}

/** Opening intervals of the wall-time range [from, to), in wall milliseconds, in order. */
function* wallOpenIntervals(
  calendar: CompiledCalendar,
  from: number,
  to: number,
): Generator<[number, number]> {
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) {
    if (calendar.holidays.has(new Date(day).toISOString().slice(0, 10))) continue;
    // 1970-01-01 was a Thursday (ISO weekday 4).
    const weekday = (((Math.floor(day / DAY_MS) % 7) + 7 + 3) % 7) + 1;
    for (const [startMinute, endMinute] of calendar.byWeekday[weekday] ?? []) {
      const start = Math.max(day + startMinute * MINUTE_MS, from);
      const end = Math.min(day + endMinute * MINUTE_MS, to);
      if (start < end) yield [start, end];
    }
  }
}

/** Open instants from `from` on (up to `until`), as [start, end) millisecond intervals in order. */
function* openIntervals(
  calendar: CompiledCalendar,
  from: number,
  until: number,
): Generator<[number, number]> {
  let at = from;
  while (at < until) {
    // Within one offset the wall clock runs with real time, so wall intervals map back by one subtraction.
    const offset = offsetMs(calendar.zone, at);
    const segmentEnd = nextOffsetChange(calendar.zone, at, offset, Math.min(until, at + 7 * DAY_MS));
    for (const [start, end] of wallOpenIntervals(calendar, at + offset, segmentEnd + offset)) {
      yield [start - offset, end - offset];
    }
    at = segmentEnd;
  }
}

/** Opening time (ms) in [a, b); 0 when b is not after a. */
export function businessDurationBetween(a: Date, b: Date, basis: TimeBasis): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to <= from) return 0;
  if (basis === null) return to - from;
  let total = 0;
  for (const [start, end] of openIntervals(compile(basis), from, to)) total += end - start;
  return total;
}

/**
 * The earliest instant t with businessDurationBetween(start, t) = duration: the moment the given amount
 * of opening time, counted from `start`, has passed. A zero duration answers `start` itself.
 */
export function addBusinessDuration(start: Date, durationMs: number, basis: TimeBasis): Date {
  if (!(durationMs >= 0)) throw new RangeError('duration must be a non-negative number of milliseconds');
  const from = start.getTime();
  if (basis === null || durationMs === 0) return new Date(from + durationMs);
  let remaining = durationMs;
  for (const [begin, end] of openIntervals(compile(basis), from, from + HORIZON_MS)) {
    if (remaining <= end - begin) return new Date(begin + remaining);
    remaining -= end - begin;
  }
  throw new RangeError('The calendar has no opening hours for twenty years from the start.');
}
