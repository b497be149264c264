import type { TicketRow } from '@tickets/db';
import type { Executor } from '../shared/transaction';
import type { TicketPriority, TicketStatus } from '../tickets/schemas';
import { type ClockFacts, retimeClock, type SlaClock, startClock } from './clock';
import { currentPolicy, policyVersion } from './policies';

// The ticket commands' two calls into the clock. Both return column values the command folds into the
// INSERT or UPDATE it already sends; the policy version comes from memory after its first read. The
// clock reads the server's clock (business arithmetic runs here, not in SQL).

/** The clock of a ticket about to be created in the workspace, on the policy in force. */
export async function newTicketClock(
  executor: Executor,
  workspaceId: string,
  facts: ClockFacts,
): Promise<SlaClock> {
  return startClock(await currentPolicy(executor, workspaceId), facts, new Date());
}

/**
 * The clock after a change of status or priority (nothing when neither changed, or the ticket has no
 * clock: one created before the feature by a bulk load).
 */
export async function retimeTicketClock(
  executor: Executor,
  row: TicketRow,
  change: { status?: TicketStatus; priority?: TicketPriority },
): Promise<Partial<SlaClock>> {
  const status = change.status ?? row.status;
  const priority = change.priority ?? row.priority;
  // Between open, in_progress and escalated the clock just runs on: nothing to re-time.
  const running = (value: string) => value !== 'closed' && value !== 'awaiting_response';
  if (row.slaPolicyId === null || (running(status) === running(row.status) && priority === row.priority)) {
    return {};
  }
  const policy = await policyVersion(executor, row.slaPolicyId);
  return retimeClock(row, policy, { status, priority, responded: row.firstResponseAt !== null }, new Date());
}
