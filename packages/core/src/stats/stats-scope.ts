import { type Expression, sql } from 'kysely';
import type { Actor } from '../policy/actor';
import { scopeTicketsToActor } from '../policy/tickets';
import type { Executor } from '../shared/transaction';
import type { DaySplit } from './stats-window';

type PartialDayColumn =
  | 'created_at'
  | 'resolved_at'
  | 'sla_first_response_breached_at'
  | 'sla_resolution_breached_at';

/**
 * The SQL pieces both report queries build on: which workspace, which whole days of the running totals,
 * which partial days of the tickets (only those the actor may see).
 */
export type StatsScope = ReturnType<typeof statsScope>;

export function statsScope(executor: Executor, actor: Actor, workspaceId: string | null) {
  const inWorkspace = workspaceId === null ? sql`true` : sql`workspace_id = ${workspaceId}`;
  // The whole days of a split, as a condition on the running totals' `day`.
  const inWholeDays = ({ wholeDays }: DaySplit) =>
    wholeDays === null
      ? sql`false`
      : sql`${wholeDays.first === null ? sql`true` : sql`day >= ${wholeDays.first}::date`}
          and ${wholeDays.last === null ? sql`true` : sql`day <= ${wholeDays.last}::date`}`;
  // The partial days of a split, as a condition on a ticket timestamp. Parenthesised: it is and-ed with the
  // workspace scope.
  const inPartialDays = ({ partialRanges }: DaySplit, column: PartialDayColumn) =>
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
  // The tickets of the edge days: those of the reported workspace the actor may see.
  const partialTickets = () => {
    const tickets = scopeTicketsToActor(executor.selectFrom('tickets'), actor);
    return workspaceId === null ? tickets : tickets.where('tickets.workspaceId', '=', workspaceId);
  };
  return { inWorkspace, inWholeDays, inPartialDays, unionEdgeDays, partialTickets };
}
