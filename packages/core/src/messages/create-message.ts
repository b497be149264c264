import { preparedStatement } from '@tickets/db';
import { sql } from 'kysely';
import { AppError } from '../errors';
import { withIdempotency } from '../idempotency/idempotency';
import { announceAfterCommit } from '../notifications/announcements';
import { notificationCtes, notificationRows } from '../notifications/create-notifications';
import { notifyPayloadSql } from '../notifications/notify-payload';
import { type Actor, isStaff } from '../policy/actor';
import { assertCan, can, ticketNotFound } from '../policy/permissions';
import { scopeTicketsToActor } from '../policy/tickets';
import { type Executor, inTransaction } from '../shared/transaction';
import { auditEventColumnsForWebhooks, webhookDeliveriesOfEvents } from '../webhooks/enqueue';
import { type MessageWithAuthorRow, toMessage } from './message-dto';
import type { CreateMessageInput, Message } from './schemas';

/**
 * Posts a message on a ticket. Requesters reply on their own open tickets; staff reply or add internal
 * notes on any ticket they see, closed ones included (a follow-up or a note after closing must not force
 * a reopen). The message, the ticket's activity stamps, the audit event, its webhook deliveries and the
 * notifications commit together or not at all: they are one statement (postMessage), inside the
 * idempotency key's transaction when the caller sent a key.
 */
export async function createMessage(
  executor: Executor,
  actor: Actor,
  input: CreateMessageInput,
): Promise<Message> {
  // Checked before any lookup: an internal note is staff-only whatever the ticket, so the answer is
  // the same for every id and cannot be used to probe which tickets exist.
  if (input.internal) assertCan(actor, 'ticket:note');
  if (input.idempotencyKey === undefined) return postMessage(executor, actor, input);
  const request = { scope: 'messages.create', key: input.idempotencyKey, request: input } as const;
  return inTransaction(executor, (tx) =>
    withIdempotency(tx, actor, request, () => postMessage(tx, actor, input)),
  );
}

type PostedRow = { status: string; announcement: string | null } & ({ id: null } | MessageWithAuthorRow);

/**
 * Every write of a message in one statement of data-modifying CTEs, so a reply is one round trip and
 * the ticket's row lock is held for one statement's execution, not across several round trips:
 *  1. `ticket`: the ticket, if the actor may see it, locked so a concurrent close cannot slip between
 *     the status check and the insert, and so messages of one ticket are stamped in the order they
 *     commit: the stamp is clock_timestamp() read after the lock, so a reader paging by cursor misses
 *     none (statement_timestamp() would be read before waiting for the lock).
 *  2. `inserted`: the message, unless a requester writes on a closed ticket.
 *  3. `stamped`: a public message moves the ticket's updatedAt; the first staff reply records the first
 *     response (and the first-response target met, or missed if its due time passed before the worker
 *     noticed; only resolution remains running — docs/SLA.md). Internal notes leave the ticket
 *     untouched: a moving updatedAt would tell the requester that something they cannot see happened.
 *     The version is never bumped: it guards the ticket's own fields, and a reply must not make a
 *     colleague's pending edit fail as stale.
 *  4. `event` and its webhook deliveries; 5. the notifications and their e-mail rows, whose NOTIFY goes
 *     out once the statement (or the idempotency key's transaction) commits (announcements.ts).
 * Nothing is written when the ticket is missing, unseen or closed to the actor: the answer says which.
 */
async function postMessage(executor: Executor, actor: Actor, input: CreateMessageInput): Promise<Message> {
  // The first reply by staff is the ticket's first response (a business rule, not a permission).
  const staff = isStaff(actor);
  const mayWriteClosed = can(actor, 'ticket:change-closed');
  const ticket = scopeTicketsToActor(
    executor
      .selectFrom('tickets')
      .select(['id', 'workspaceId', 'status', 'createdBy', 'assignedTo', 'firstResponseAt']),
    actor,
  )
    .where('tickets.id', '=', input.ticketId)
    .forUpdate();
  const firstResponse = staff
    ? sql`, first_response_at = coalesce(tickets.first_response_at, inserted.created_at),
        sla_first_response_breached_at = case when tickets.first_response_at is null
          then coalesce(tickets.sla_first_response_breached_at,
            case when tickets.sla_running_since is not null and tickets.sla_first_response_due_at <= ${new Date()}
            then tickets.sla_first_response_due_at end)
          else tickets.sla_first_response_breached_at end,
        sla_next_due_at = case when tickets.first_response_at is null
          then case when tickets.sla_running_since is not null and tickets.sla_resolution_breached_at is null
            then tickets.sla_resolution_due_at end
          else tickets.sla_next_due_at end`
    : sql``;
  const event = sql`insert into audit_events (workspace_id, ticket_id, actor_id, action, internal, data)
    select workspace_id, ticket_id, author_id, 'message.created', internal,
      jsonb_build_object('messageId', id, 'internal', internal)
    from inserted
    returning ${sql.join(auditEventColumnsForWebhooks.map((column) => sql.ref(column)))}`;
  const notifications = notificationRows(executor, {
    workspaceId: sql<string>`(select workspace_id from ticket)`,
    type: 'message.created',
    ticketId: input.ticketId,
    actorId: actor.id,
    internal: input.internal,
    data: sql`(select jsonb_build_object('messageId', id, 'internal', internal) from inserted)`,
    // The creator is the requester's side of the ticket: an internal note never reaches them, even
    // when they also hold the assignment.
    candidates: input.internal
      ? sql<
          string[]
        >`(select array[nullif(assigned_to, created_by)] from ticket join inserted on true)::uuid[]`
      : sql<string[]>`(select array[created_by, assigned_to] from ticket join inserted on true)::uuid[]`,
  });
  const { rows } = await sql<PostedRow>`${preparedStatement}
    with ticket as (${ticket}),
    inserted as (
      insert into messages (workspace_id, ticket_id, author_id, body, internal, created_at)
      select workspace_id, id, ${actor.id}, ${input.body}, ${input.internal}, clock_timestamp()
      from ticket
      where ${mayWriteClosed} or status <> 'closed'
      returning id, workspace_id, ticket_id, author_id, body, internal, created_at
    ),
    stamped as (
      update tickets set updated_at = inserted.created_at ${firstResponse}
      from inserted
      where tickets.id = inserted.ticket_id and not inserted.internal
    ),
    event as (${event}),
    deliveries as (${webhookDeliveriesOfEvents}),
    ${notificationCtes(notifications)}
    select ticket.status, inserted.id, inserted.ticket_id, inserted.author_id, inserted.body,
      inserted.internal, inserted.created_at, author.name as author_name, author.role as author_role,
      (select ${notifyPayloadSql} from written having count(*) > 0) as announcement
    from ticket
    left join inserted on true
    left join users author on author.id = inserted.author_id`.execute(executor);
  const row = rows[0];
  if (!row) throw ticketNotFound();
  if (row.id === null) {
    throw new AppError(
      'TICKET_CLOSED',
      'This ticket is closed: reopen it (tickets.reopen) to add a message.',
      {
        ticketId: input.ticketId,
      },
    );
  }
  announceAfterCommit(executor, row.announcement);
  return toMessage(row);
}
