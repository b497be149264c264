import type { DB } from '@tickets/db';
import type { Expression, ExpressionBuilder, ExpressionWrapper, SelectQueryBuilder, SqlBool } from 'kysely';
import { type Actor, isStaff, isSuperadmin, staffRoles } from './actor';

/** What a policy needs to know about a ticket. */
export interface TicketOwnership {
  readonly workspaceId: string;
  readonly createdBy: string;
}

export type TicketAction =
  | 'ticket:read'
  | 'ticket:update'
  | 'ticket:assign'
  | 'ticket:escalate'
  | 'ticket:close'
  | 'ticket:reopen'
  | 'ticket:reply'
  | 'ticket:note';

/** Whether the actor may see the ticket at all. Anything they may not see answers NOT_FOUND. */
export function canSeeTicket(actor: Actor, ticket: TicketOwnership): boolean {
  if (isSuperadmin(actor)) return true;
  if (ticket.workspaceId !== actor.workspaceId) return false;
  return isStaff(actor) || ticket.createdBy === actor.id;
}

/** Whether the actor may do `action` on a ticket they can see. Pure: no I/O, no state rules. */
export function can(actor: Actor, action: TicketAction, ticket: TicketOwnership): boolean {
  if (!canSeeTicket(actor, ticket)) return false;
  switch (action) {
    case 'ticket:read':
    case 'ticket:update':
    case 'ticket:reopen':
    case 'ticket:reply':
      return true; // staff, or (by canSeeTicket) the requester who created it
    case 'ticket:assign':
    case 'ticket:escalate':
    case 'ticket:close':
    case 'ticket:note':
      return isStaff(actor);
  }
}

/**
 * The same rule as canSeeTicket, as query scoping: a list or a lookup only ever reads rows the actor
 * may see, so a forgotten check cannot leak a row.
 */
export function scopeTicketsToActor<O>(
  query: SelectQueryBuilder<DB, 'tickets', O>,
  actor: Actor,
): SelectQueryBuilder<DB, 'tickets', O> {
  if (isSuperadmin(actor)) return query;
  const scoped = query.where('tickets.workspaceId', '=', actor.workspaceId as string);
  return isStaff(actor) ? scoped : scoped.where('tickets.createdBy', '=', actor.id);
}

/**
 * The same rule again, from the other side: which users (rows of `users`) may see news of a ticket, by
 * their role and state *now*: active staff of its workspace, a superadmin, or its creator, unless the
 * news is internal (only staff). Notifications are written only for these, so a demoted or deactivated
 * assignee receives nothing more about a ticket they can no longer open.
 */
export function mayReceiveTicketNews(
  eb: ExpressionBuilder<DB, 'users'>,
  /** `ticketId` null: news of the workspace (e.g. a webhook endpoint disabled), for its staff only. */
  news: { workspaceId: string | Expression<string>; ticketId: string | null; internal: boolean },
): ExpressionWrapper<DB, 'users', SqlBool> {
  const staff = eb.or([
    eb('users.role', '=', 'superadmin'),
    eb.and([
      eb(
        'users.role',
        'in',
        staffRoles.filter((role) => role !== 'superadmin'),
      ),
      eb('users.workspaceId', '=', news.workspaceId),
    ]),
  ]);
  const creator =
    news.internal || news.ticketId === null
      ? []
      : [
          eb(
            'users.id',
            '=',
            eb.selectFrom('tickets').select('tickets.createdBy').where('tickets.id', '=', news.ticketId),
          ),
        ];
  return eb.and([eb('users.isActive', '=', true), eb.or([staff, ...creator])]);
}
