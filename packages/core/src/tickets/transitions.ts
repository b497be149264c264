import { AppError } from '../errors';
import type { TicketStatus } from './schemas';

/**
 * The ticket state machine: from each status, the statuses a ticket may move to. Documented in
 * docs/TICKETS.md; every status change goes through assertTransition.
 */
export const ticketTransitions = {
  open: ['in_progress', 'awaiting_response', 'escalated', 'closed'],
  in_progress: ['open', 'awaiting_response', 'escalated', 'closed'],
  awaiting_response: ['open', 'in_progress', 'escalated', 'closed'],
  escalated: ['in_progress', 'awaiting_response', 'closed'],
  closed: ['open', 'in_progress'],
} as const satisfies Record<TicketStatus, readonly TicketStatus[]>;

/** The commands that change a ticket's status. */
export type StatusCommand = 'update' | 'escalate' | 'close' | 'reopen';

/**
 * Which command walks an edge. Closing, escalating and reopening carry side effects a bare status
 * change would skip (resolvedAt, the escalation flag and priority, notifications, a reason), so those
 * edges belong to their own commands and `update` walks only the plain working states.
 */
export function commandForTransition(from: TicketStatus, to: TicketStatus): StatusCommand {
  if (from === 'closed') return 'reopen';
  if (to === 'closed') return 'close';
  if (to === 'escalated') return 'escalate';
  return 'update';
}

export function isAllowedTransition(from: TicketStatus, to: TicketStatus): boolean {
  return (ticketTransitions[from] as readonly TicketStatus[]).includes(to);
}

/** Throws INVALID_TRANSITION unless `command` may move a ticket from `from` to `to`. */
export function assertTransition(from: TicketStatus, to: TicketStatus, command: StatusCommand): void {
  if (!isAllowedTransition(from, to)) {
    throw new AppError('INVALID_TRANSITION', `A ticket cannot move from ${from} to ${to}.`, {
      field: 'status',
      from,
      to,
      allowed: ticketTransitions[from],
    });
  }
  const owner = commandForTransition(from, to);
  if (owner !== command) {
    throw new AppError('INVALID_TRANSITION', `Use tickets.${owner} to move a ticket from ${from} to ${to}.`, {
      field: 'status',
      from,
      to,
    });
  }
}
