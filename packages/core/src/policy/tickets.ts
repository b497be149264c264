import type { DB } from '@tickets/db';
import type { Expression, ExpressionBuilder, ExpressionWrapper, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Actor } from './actor';
import { permissions, reaches, rolesReaching } from './permissions';

// The ticket rule of permissions.ts (canSeeTicket, and `ticket:read-internal` for internal news) as
// query scoping. A change to who sees a ticket changes canSeeTicket and these two together; the
// policy tests hold them to the same answers.

/**
 * canSeeTicket as query scoping: a list or a lookup only ever reads rows the actor may see, so a
 * forgotten check cannot leak a row.
 */
export function scopeTicketsToActor<O>(
  query: SelectQueryBuilder<DB, 'tickets', O>,
  actor: Actor,
): SelectQueryBuilder<DB, 'tickets', O> {
  if (reaches(actor, 'superadmin')) return query;
  const scoped = query.where('tickets.workspaceId', '=', actor.workspaceId as string);
  return reaches(actor, 'staff') ? scoped : scoped.where('tickets.createdBy', '=', actor.id);
}

/**
 * canSeeTicket again, from the other side: which users (rows of `users`) may see news of a ticket, by
 * their role and state *now*: active staff of its workspace, a superadmin, or its creator, unless the
 * news is internal (only those `ticket:read-internal` lets in: staff). Notifications are written only for these, so a demoted or deactivated
 * assignee receives nothing more about a ticket they can no longer open.
 */
export function mayReceiveTicketNews(
  eb: ExpressionBuilder<DB, 'users'>,
  /** `ticketId` null: news of the workspace (e.g. a webhook endpoint disabled), for its staff only. */
  news: { workspaceId: string | Expression<string>; ticketId: string | null; internal: boolean },
): ExpressionWrapper<DB, 'users', SqlBool> {
  // Internal news goes to the roles `ticket:read-internal` lets in; the creator, a requester, is not one.
  const seers = rolesReaching(news.internal ? permissions['ticket:read-internal'].access : 'staff');
  const staff = eb.or([
    eb('users.role', 'in', rolesReaching('superadmin')),
    eb.and([eb('users.role', 'in', seers), eb('users.workspaceId', '=', news.workspaceId)]),
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
