import type { TicketRow } from '@tickets/db';
import type { TicketPriority, TicketStatus } from '../tickets/schemas';
import { addBusinessDuration, businessDurationBetween } from './business-time';
import type { SlaPolicy } from './policies';
import type { TicketSla } from './schemas';

// A ticket's service-level clock: one running total of business time, measured against two targets of
// the ticket's priority (first response, resolution). It runs while the ticket is open, in progress or
// escalated; it stands still while awaiting_response (waiting on the requester) and stops on close.
// The due times follow from the elapsed time: due = the instant the remaining business time runs out,
// counted from the moment the clock (re)started. Every rule is a pure function of the ticket's facts
// and the time, so commands only decide when to call it.

/** The clock as stored on the ticket (migration 0007). */
export type SlaClock = Pick<
  TicketRow,
  | 'slaPolicyId'
  | 'slaElapsedSeconds'
  | 'slaRunningSince'
  | 'slaFirstResponseDueAt'
  | 'slaResolutionDueAt'
  | 'slaNextDueAt'
  | 'slaFirstResponseBreachedAt'
  | 'slaResolutionBreachedAt'
  | 'slaFirstResponseWarnedAt'
  | 'slaResolutionWarnedAt'
>;

/** What of the ticket the clock depends on, after the change being made. */
export interface ClockFacts {
  status: TicketStatus;
  priority: TicketPriority;
  /** The first response is given: its target is met (or was missed) for good. */
  responded: boolean;
}

const runs = (status: TicketStatus) => status !== 'closed' && status !== 'awaiting_response';
const sameInstant = (a: Date | null, b: Date | null) =>
  a !== null && b !== null && Math.abs(a.getTime() - b.getTime()) < 1000;
const MINUTE_MS = 60_000;

/** The nearest target neither met nor breached, while the clock runs. */
export function nextDue(
  clock: Pick<
    SlaClock,
    | 'slaRunningSince'
    | 'slaFirstResponseDueAt'
    | 'slaResolutionDueAt'
    | 'slaFirstResponseBreachedAt'
    | 'slaResolutionBreachedAt'
  >,
  facts: Pick<ClockFacts, 'responded'>,
): Date | null {
  if (clock.slaRunningSince === null) return null;
  const pending = [
    !facts.responded && clock.slaFirstResponseBreachedAt === null ? clock.slaFirstResponseDueAt : null,
    clock.slaResolutionBreachedAt === null ? clock.slaResolutionDueAt : null,
  ].filter((due): due is Date => due !== null);
  return pending.length === 0 ? null : new Date(Math.min(...pending.map((due) => due.getTime())));
}

/** A new ticket's clock on the workspace's policy in force, started at `now`. */
export function startClock(policy: SlaPolicy, facts: ClockFacts, now: Date): SlaClock {
  return retimeClock(
    {
      slaPolicyId: policy.id,
      slaElapsedSeconds: 0,
      slaRunningSince: null,
      slaFirstResponseDueAt: null,
      slaResolutionDueAt: null,
      slaNextDueAt: null,
      slaFirstResponseBreachedAt: null,
      slaResolutionBreachedAt: null,
      slaFirstResponseWarnedAt: null,
      slaResolutionWarnedAt: null,
    },
    policy,
    facts,
    now,
  );
}

/**
 * The clock after a change of status or priority at `now`: the business time run so far is banked, and
 * if the ticket is running the due times are computed afresh from it with the (new) priority's targets.
 * A target whose due time passed before the clock stopped is recorded as breached (the worker announces
 * breaches of running clocks; one that stops first is recorded without an announcement).
 */
export function retimeClock(clock: SlaClock, policy: SlaPolicy, facts: ClockFacts, now: Date): SlaClock {
  const calendar = policy.businessHours;
  const ranMs = clock.slaRunningSince ? businessDurationBetween(clock.slaRunningSince, now, calendar) : 0;
  const elapsedMs = clock.slaElapsedSeconds * 1000 + ranMs;
  const missedBy = (due: Date | null, breachedAt: Date | null, pending: boolean) =>
    breachedAt ?? (pending && clock.slaRunningSince && due && due.getTime() <= now.getTime() ? due : null);
  // A target recomputed to a later time than one already recorded as missed stays missed: a breach is
  // history, and it was announced.
  const firstResponseBreachedAt = missedBy(
    clock.slaFirstResponseDueAt,
    clock.slaFirstResponseBreachedAt,
    !facts.responded,
  );
  const resolutionBreachedAt = missedBy(clock.slaResolutionDueAt, clock.slaResolutionBreachedAt, true);
  const base = {
    slaPolicyId: clock.slaPolicyId,
    slaElapsedSeconds: Math.round(elapsedMs / 1000),
  };

  if (!runs(facts.status)) {
    const closed = facts.status === 'closed';
    return {
      ...base,
      slaRunningSince: null,
      // Kept as they stood: a closed ticket shows when it was due; a paused one has no due time.
      slaFirstResponseDueAt: facts.responded ? clock.slaFirstResponseDueAt : null,
      slaResolutionDueAt: closed ? clock.slaResolutionDueAt : null,
      slaFirstResponseBreachedAt: firstResponseBreachedAt,
      slaResolutionBreachedAt: resolutionBreachedAt,
      slaFirstResponseWarnedAt: clock.slaFirstResponseWarnedAt,
      slaResolutionWarnedAt: clock.slaResolutionWarnedAt,
      slaNextDueAt: null,
    };
  }

  const target = policy.targets[facts.priority];
  const dueAfter = (minutes: number) =>
    addBusinessDuration(now, Math.max(0, minutes * MINUTE_MS - elapsedMs), calendar);
  const firstResponseDueAt = facts.responded
    ? clock.slaFirstResponseDueAt
    : dueAfter(target.firstResponseMinutes);
  const resolutionDueAt = dueAfter(target.resolutionMinutes);
  const next: SlaClock = {
    ...base,
    slaRunningSince: now,
    slaFirstResponseDueAt: firstResponseDueAt,
    slaResolutionDueAt: resolutionDueAt,
    slaFirstResponseBreachedAt: firstResponseBreachedAt,
    slaResolutionBreachedAt: resolutionBreachedAt,
    // A due time that moved deserves its own warning (elapsed time is banked in whole seconds, so a
    // re-timing that changes nothing may move a due time by under a second: not a move).
    slaFirstResponseWarnedAt: sameInstant(firstResponseDueAt, clock.slaFirstResponseDueAt)
      ? clock.slaFirstResponseWarnedAt
      : null,
    slaResolutionWarnedAt: sameInstant(resolutionDueAt, clock.slaResolutionDueAt)
      ? clock.slaResolutionWarnedAt
      : null,
    slaNextDueAt: null,
  };
  next.slaNextDueAt = nextDue(next, facts);
  return next;
}

/** The clock as the ticket DTO shows it. */
export function toTicketSla(row: SlaClock & { status: string }): TicketSla | null {
  if (row.slaPolicyId === null) return null;
  return {
    firstResponseDueAt: row.slaFirstResponseDueAt,
    resolutionDueAt: row.slaResolutionDueAt,
    nextDueAt: row.slaNextDueAt,
    paused: row.status === 'awaiting_response',
    firstResponseBreached: row.slaFirstResponseBreachedAt !== null,
    resolutionBreached: row.slaResolutionBreachedAt !== null,
  };
}
