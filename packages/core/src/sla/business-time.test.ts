import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDuration,
  type BusinessCalendar,
  businessDurationBetween,
  wallMinutes,
} from './business-time';

const MINUTE = 60_000;

/**
 * The obviously correct reference: walk minute by minute, asking Luxon for each minute's local wall time
 * and counting the minutes that fall in an opening interval on a non-holiday. Slow, but has nothing to
 * get wrong about offsets or transitions.
 */
function isOpenMinute(at: number, calendar: BusinessCalendar): boolean {
  const local = DateTime.fromMillis(at, { zone: calendar.timeZone });
  if (calendar.holidays.includes(local.toISODate() ?? '')) return false;
  const minute = local.hour * 60 + local.minute;
  return calendar.hours.some(
    (interval) =>
      interval.weekday === local.weekday &&
      wallMinutes(interval.start) <= minute &&
      minute < wallMinutes(interval.end),
  );
}

/** The reference's add: the end of the minute in which the `minutes`-th open minute is counted (null past `limit`). */
function referenceAdd(a: number, minutes: number, calendar: BusinessCalendar, limit: number): number | null {
  if (minutes === 0) return a;
  let counted = 0;
  for (let at = a; at < limit; at += MINUTE) {
    if (isOpenMinute(at, calendar)) counted += 1;
    if (counted === minutes) return at + MINUTE;
  }
  return null;
}

function referenceBetween(a: number, b: number, calendar: BusinessCalendar): number {
  let minutes = 0;
  for (let at = a; at < b; at += MINUTE) if (isOpenMinute(at, calendar)) minutes += 1;
  return minutes * MINUTE;
}

// DST transitions of 2026 in both directions (and a zone whose clocks move by 30 minutes).
const zonesWithTransitions: Array<{ zone: string; transitions: string[] }> = [
  { zone: 'Europe/Berlin', transitions: ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'] },
  { zone: 'America/New_York', transitions: ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'] },
  { zone: 'Australia/Lord_Howe', transitions: ['2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z'] },
  { zone: 'Asia/Kolkata', transitions: ['2026-06-01T00:00:00Z'] },
];

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

// Interval edges favour the hours clocks jump over or repeat (02:00–03:00 and the half hours around them).
const edgeMinute = fc.oneof(
  fc.constantFrom(0, 60, 120, 150, 180, 210, 540, 1020, 1440),
  fc.integer({ min: 0, max: 1440 }),
);

const dayHours = fc
  .uniqueArray(edgeMinute, { minLength: 0, maxLength: 6 })
  .map((edges) => edges.sort((a, b) => a - b))
  .map((edges) => {
    const intervals: Array<[number, number]> = [];
    for (let i = 0; i + 1 < edges.length; i += 2)
      intervals.push([edges[i] as number, edges[i + 1] as number]);
    return intervals;
  });

/** A random calendar around one DST transition, with holidays near it; at least one open interval a week. */
const scenario = fc
  .record({
    place: fc.constantFrom(...zonesWithTransitions),
    transitionIndex: fc.nat(),
    week: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
    holidayOffsets: fc.uniqueArray(fc.integer({ min: -3, max: 3 }), { maxLength: 3 }),
    startOffsetMinutes: fc.integer({ min: -2 * 24 * 60, max: 24 * 60 }),
    startSeconds: fc.constantFrom(0, 0, 17),
  })
  .map(({ place, transitionIndex, week, holidayOffsets, startOffsetMinutes, startSeconds }) => {
    const transition = Date.parse(place.transitions[transitionIndex % place.transitions.length] as string);
    const hours = week.flatMap((intervals, index) =>
      intervals.map(([start, end]) => ({ weekday: index + 1, start: hhmm(start), end: hhmm(end) })),
    );
    if (hours.length === 0) hours.push({ weekday: 1, start: '09:00', end: '17:00' });
    const transitionDate = DateTime.fromMillis(transition, { zone: place.zone });
    const holidays = holidayOffsets.map((days) => transitionDate.plus({ days }).toISODate() as string);
    const calendar: BusinessCalendar = { timeZone: place.zone, hours, holidays };
    return { calendar, start: transition + startOffsetMinutes * MINUTE + startSeconds * 1000 };
  });

describe('business time against a minute-by-minute reference', () => {
  it('given a random calendar around a DST change with holidays, when measuring [a, b), then it equals the reference', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 3 * 24 * 60 }), ({ calendar, start }, minutes) => {
        // Whole minutes, so the reference's one-minute steps are exact.
        const a = Math.floor(start / MINUTE) * MINUTE;
        const b = a + minutes * MINUTE;
        expect(businessDurationBetween(new Date(a), new Date(b), calendar)).toBe(
          referenceBetween(a, b, calendar),
        );
      }),
      { numRuns: 120 },
    );
  }, 60_000);

  it("given a random calendar, when adding a duration, then the due time is the reference's: the end of the minute that completes it", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 8 * 60 }), ({ calendar, start }, minutes) => {
        const a = Math.floor(start / MINUTE) * MINUTE;
        // Sparse random calendars can take months to open 8 h; the reference walks at most 3 weeks.
        const expected = referenceAdd(a, minutes, calendar, a + 21 * 24 * 60 * MINUTE);
        fc.pre(expected !== null);
        expect(addBusinessDuration(new Date(a), minutes * MINUTE, calendar).getTime()).toBe(expected);
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('given any start (even between minutes), when adding then measuring, then the duration comes back, and splitting it at any point (a pause) changes nothing', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 0, max: 48 * 60 * 60_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ calendar, start }, duration, split) => {
          const due = addBusinessDuration(new Date(start), duration, calendar);
          expect(businessDurationBetween(new Date(start), due, calendar)).toBe(duration);
          // A clock stopped at `pause` after `first` and restarted there needs the rest: same due time.
          const first = Math.floor(duration * split);
          const pause = addBusinessDuration(new Date(start), first, calendar);
          expect(addBusinessDuration(pause, duration - first, calendar).getTime()).toBe(due.getTime());
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('worked examples', () => {
  const berlinOffice: BusinessCalendar = {
    timeZone: 'Europe/Berlin',
    hours: [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, start: '09:00', end: '12:00' },
      { weekday, start: '13:00', end: '17:00' },
    ]),
    holidays: ['2026-10-26'],
  };

  it('given Berlin office hours, when a 4 h target starts Friday 23 October 2026 at 15:00, then it is due Tuesday 27 October at 11:00 (weekend, DST fall-back on Sunday, Monday a holiday)', () => {
    const start = new Date('2026-10-23T13:00:00Z'); // 15:00 CEST
    const due = addBusinessDuration(start, 4 * 60 * MINUTE, berlinOffice);
    // 2 h on Friday (15–17), none at the weekend or on Monday's holiday, 2 h on Tuesday (9–11 CET).
    expect(due.toISOString()).toBe('2026-10-27T10:00:00.000Z');
    expect(businessDurationBetween(start, due, berlinOffice)).toBe(4 * 60 * MINUTE);
  });

  it('given a night shift 01:00–04:00 in New York, then the spring-forward night has 2 h of opening time and the fall-back night 4 h', () => {
    const nights: BusinessCalendar = {
      timeZone: 'America/New_York',
      hours: [7].map((weekday) => ({ weekday, start: '01:00', end: '04:00' })),
      holidays: [],
    };
    const sunday = (date: string) =>
      businessDurationBetween(new Date(`${date}T00:00:00Z`), new Date(`${date}T23:59:00Z`), nights);
    expect(sunday('2026-03-08')).toBe(2 * 60 * MINUTE);
    expect(sunday('2026-11-01')).toBe(4 * 60 * MINUTE);
  });

  it('given Lord Howe Island (clocks move 30 minutes), when 1 h starts at 01:30 on the spring-forward night, then it ends at 03:00 local time', () => {
    const nights: BusinessCalendar = {
      timeZone: 'Australia/Lord_Howe',
      hours: [7].map((weekday) => ({ weekday, start: '00:00', end: '06:00' })),
      holidays: [],
    };
    // 4 October 2026, 01:30 +10:30; at 02:00 the clocks go to 02:30 (+11).
    const start = DateTime.fromISO('2026-10-04T01:30', { zone: 'Australia/Lord_Howe' }).toJSDate();
    const due = addBusinessDuration(start, 60 * MINUTE, nights);
    expect(DateTime.fromJSDate(due, { zone: 'Australia/Lord_Howe' }).toFormat('HH:mm')).toBe('03:00');
  });

  it('given calendar hours (no calendar), then business time is elapsed time', () => {
    const start = new Date('2026-03-29T00:30:00Z');
    expect(addBusinessDuration(start, 3_600_000, null).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(businessDurationBetween(start, new Date('2026-03-29T02:30:00Z'), null)).toBe(7_200_000);
  });
});
