import { sql } from 'kysely';
import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { withIdempotency } from '../idempotency/idempotency';
import { createNotifications } from '../notifications/create-notifications';
import { type Actor, isStaff } from '../policy/actor';
import { assertCan, can } from '../policy/permissions';
import { type Executor, inTransaction } from '../shared/transaction';
import { findVisibleTicket } from '../tickets/find-visible-ticket';
import { toMessage } from './message-dto';
import type { CreateMessageInput, Message } from './schemas';

/**
 * Posts a message on a ticket. Requesters reply on their own open tickets; staff reply or add internal
 * notes on any ticket they see, closed ones included (a follow-up or a note after closing must not force
 * a reopen). The message, the ticket's activity stamps, the audit event and the notifications commit
 * together or not at all.
 */
export async function createMessage(
  executor: Executor,
  actor: Actor,
  input: CreateMessageInput,
): Promise<Message> {
  // Checked before any lookup: an internal note is staff-only whatever the ticket, so the answer is
  // the same for every id and cannot be used to probe which tickets exist.
  if (input.internal) assertCan(actor, 'ticket:note');
  const request = { scope: 'messages.create', key: input.idempotencyKey, request: input } as const;
  return inTransaction(executor, (tx) =>
    withIdempotency(tx, actor, request, async () => {
      // Locked so a concurrent close cannot slip between the status check and the insert, and so messages
      // of one ticket are stamped in the order they commit (a reader paging by cursor misses none).
      const ticket = await findVisibleTicket(tx, actor, input.ticketId, { forUpdate: true });
      if (ticket.status === 'closed' && !can(actor, 'ticket:change-closed', ticket)) {
        throw new AppError(
          'TICKET_CLOSED',
          'This ticket is closed: reopen it (tickets.reopen) to add a message.',
          {
            ticketId: ticket.id,
          },
        );
      }

      // The author's name and role come back with the insert (one round trip, not two).
      const message = await tx
        .with('inserted', (db) =>
          db
            .insertInto('messages')
            .values({
              workspaceId: ticket.workspaceId,
              ticketId: ticket.id,
              authorId: actor.id,
              body: input.body,
              internal: input.internal,
              createdAt: sql<Date>`statement_timestamp()`,
            })
            .returning(['id', 'ticketId', 'authorId', 'body', 'internal', 'createdAt']),
        )
        .selectFrom('inserted')
        .innerJoin('users', 'users.id', 'inserted.authorId')
        .select([
          'inserted.id',
          'inserted.ticketId',
          'inserted.authorId',
          'inserted.body',
          'inserted.internal',
          'inserted.createdAt',
          'users.name as authorName',
          'users.role as authorRole',
        ])
        .executeTakeFirstOrThrow();

      // Internal notes leave the ticket untouched: a moving updatedAt would tell the requester that
      // something they cannot see happened. The version is never bumped: it guards the ticket's own
      // fields, and a reply must not make a colleague's pending edit fail as stale.
      if (!message.internal) {
        const firstResponse = isStaff(actor) && ticket.firstResponseAt === null;
        await tx
          .updateTable('tickets')
          .set((eb) => ({
            updatedAt: message.createdAt,
            // coalesce is evaluated on the row as it stands when the update runs, so it can only ever
            // fill an empty value, never move one already set.
            ...(firstResponse
              ? {
                  firstResponseAt: eb.fn.coalesce('firstResponseAt', eb.val(message.createdAt)),
                  // The first-response target is met, or missed if its due time passed before the
                  // worker noticed (recorded, not announced); only resolution remains running. Judged
                  // by the server's clock, like every service-level time (docs/SLA.md).
                  slaFirstResponseBreachedAt: sql<Date | null>`coalesce(sla_first_response_breached_at,
                    case when sla_running_since is not null and sla_first_response_due_at <= ${new Date()}
                    then sla_first_response_due_at end)`,
                  slaNextDueAt: sql<Date | null>`case when sla_running_since is not null
                    and sla_resolution_breached_at is null then sla_resolution_due_at end`,
                }
              : {}),
          }))
          .where('id', '=', ticket.id)
          .execute();
      }

      const data = { messageId: message.id, internal: message.internal };
      await recordAuditEvent(tx, {
        workspaceId: ticket.workspaceId,
        ticketId: ticket.id,
        actorId: actor.id,
        action: 'message.created',
        internal: message.internal,
        data,
      });
      await createNotifications(tx, {
        workspaceId: ticket.workspaceId,
        type: 'message.created',
        ticketId: ticket.id,
        actorId: actor.id,
        // The creator is the requester's side of the ticket: an internal note never reaches them, even
        // when they also hold the assignment.
        recipientIds: message.internal
          ? [ticket.assignedTo === ticket.createdBy ? null : ticket.assignedTo]
          : [ticket.createdBy, ticket.assignedTo],
        internal: message.internal,
        data,
      });

      return toMessage(message);
    }),
  );
}
