import { z } from 'zod';
import { ticketCategorySchema, ticketPrioritySchema, ticketStatusSchema } from '../tickets/schemas';

const DAY_MS = 86_400_000;
/** The longest window a caller may ask for: a year, leap day included, so the series stays small. */
export const MAX_STATS_WINDOW_DAYS = 366;
/** Days in the series when the caller gives no `from`. */
export const DEFAULT_STATS_SERIES_DAYS = 30;

// Bounds keep dates inside what a help desk can hold and what Postgres and Date both represent exactly.
const statsInstant = z.date().min(new Date('2000-01-01T00:00:00Z')).max(new Date('2100-01-01T00:00:00Z'));

/**
 * What is wrong with the window [from, end), if anything. `end` is the caller's `to`, or now when they
 * omitted it (so the rule needs a clock and is also applied by the service).
 */
export function statsWindowIssue(
  from: Date,
  end: Date,
  endIsNow: boolean,
): { field: 'from' | 'to'; message: string } | null {
  if (end.getTime() <= from.getTime()) {
    return endIsNow
      ? { field: 'from', message: 'from must be in the past when to is omitted.' }
      : { field: 'to', message: 'to must be after from.' };
  }
  if (end.getTime() - from.getTime() > MAX_STATS_WINDOW_DAYS * DAY_MS) {
    return { field: 'from', message: `The window may span at most ${MAX_STATS_WINDOW_DAYS} days.` };
  }
  return null;
}

export const generateStatsInput = z
  .object({
    /** Superadmin: one workspace; omitted means every workspace. Others: their own (another → NOT_FOUND). */
    workspaceId: z.uuid().optional(),
    /** Inclusive lower bound on the tickets' creation time; omitted means since the beginning. */
    from: statsInstant.optional(),
    /** Exclusive upper bound on the tickets' creation time; omitted means up to now. */
    to: statsInstant.optional(),
  })
  .strict()
  .superRefine((input, context) => {
    if (!input.from || !input.to) return;
    const issue = statsWindowIssue(input.from, input.to, false);
    if (issue) context.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
  })
  .default({});
export type GenerateStatsInput = z.infer<typeof generateStatsInput>;

const count = z.number().int().nonnegative();
const seconds = z.number().nullable();

export const assigneeStatsSchema = z.object({
  assigneeId: z.uuid(),
  name: z.string(),
  /** Their tickets in any status but closed. */
  open: count,
  closed: count,
});
export type AssigneeStats = z.infer<typeof assigneeStatsSchema>;

export const dailyStatsSchema = z.object({
  /** A UTC calendar day. */
  date: z.iso.date(),
  created: count,
  closed: count,
  /** Service-level targets missed that day (by the day their due time passed). */
  slaBreaches: count,
});
export type DailyStats = z.infer<typeof dailyStatsSchema>;

/**
 * One service-level target over the cohort: met = answered (or closed) in time; breached = missed.
 * Tickets still running, and tickets without a clock, count in neither. metShare: met / (met + breached).
 */
export const slaOutcomeSchema = z.object({ met: count, breached: count, metShare: z.number().nullable() });

/** See generateStats for what each figure counts. */
export const statsSchema = z.object({
  totalTickets: count,
  resolvedTickets: count,
  avgResolutionSeconds: seconds,
  avgFirstResponseSeconds: seconds,
  escalatedTickets: count,
  unassignedOpenTickets: count,
  // An enum-keyed record is exhaustive: every status, priority and category is present, 0 when none.
  byStatus: z.record(ticketStatusSchema, count),
  byPriority: z.record(ticketPrioritySchema, count),
  byCategory: z.record(ticketCategorySchema, count),
  byAssignee: z.array(assigneeStatsSchema),
  /** Of the cohort's tickets whose target is decided (met, or missed), how many met it. */
  serviceLevels: z.object({ firstResponse: slaOutcomeSchema, resolution: slaOutcomeSchema }),
  daily: z.array(dailyStatsSchema),
});
export type Stats = z.infer<typeof statsSchema>;
