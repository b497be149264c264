import { ticketRowColumns } from '@tickets/db';
import { recordAuditEvent } from '../audit/record-audit-event';
import { AppError } from '../errors';
import { withIdempotency } from '../idempotency/idempotency';
import { type Actor, isSuperadmin, requesterRoles } from '../policy/actor';
import { can } from '../policy/permissions';
import { resolveWorkspaceId } from '../policy/workspaces';
import { type Executor, inTransaction } from '../shared/transaction';
import { newTicketClock } from '../sla/ticket-clock';
import { type CreateTicketInput, requesterPriorities, type Ticket, type TicketPriority } from './schemas';
import { fieldNotAllowed } from './ticket-commands';
import { toTicket } from './ticket-dto';
/**
 * Opens a ticket. A requester opens it for themselves: the creator is always the caller and the status
 * always `open`, since the input has no field for either. Staff may open it on behalf of an active
 * requester of the workspace; a superadmin names the workspace.
 */
export async function createTicket(
  executor: Executor,
  actor: Actor,
  input: CreateTicketInput,
): Promise<Ticket> {
  const workspaceId = resolveWorkspaceId(actor, input.workspaceId);
  refuseStaffOnlyFields(actor, input);
  const request = { scope: 'tickets.create', key: input.idempotencyKey, request: input } as const;
  return inTransaction(executor, (tx) =>
    withIdempotency(tx, actor, request, async () => {
      await checkWorkspaceAndRequester(tx, actor, workspaceId, input.onBehalfOfId);
      const clock = await newTicketClock(tx, workspaceId, {
        status: 'open',
        priority: input.priority,
        responded: false,
      });
      const row = await tx
        .insertInto('tickets')
        .values({
          ...clock,
          workspaceId,
          title: input.title,
          description: input.description,
          category: input.category,
          priority: input.priority,
          createdBy: input.onBehalfOfId ?? actor.id,
        })
        .returning(ticketRowColumns)
        .executeTakeFirstOrThrow();
      await recordAuditEvent(tx, {
        workspaceId,
        ticketId: row.id,
        actorId: actor.id,
        action: 'ticket.created',
        data: {
          title: row.title,
          status: row.status,
          priority: row.priority,
          category: row.category,
          createdBy: row.createdBy,
        },
      });
      return toTicket(row);
    }),
  );
}

/** A requester can neither open a ticket for someone else nor pick a staff-only priority. */
function refuseStaffOnlyFields(actor: Actor, input: CreateTicketInput) {
  if (!can(actor, 'ticket:triage')) {
    if (input.onBehalfOfId !== undefined) throw fieldNotAllowed('onBehalfOfId');
    if (!(requesterPriorities as readonly TicketPriority[]).includes(input.priority)) {
      throw new AppError(
        'FIELD_NOT_ALLOWED',
        `Choose priority low, medium or high; ${input.priority} is for staff.`,
        {
          field: 'priority',
        },
      );
    }
  }
}

/** The workspace exists (a superadmin names it), and the requester it is opened for is one of its active ones. */
async function checkWorkspaceAndRequester(
  tx: Executor,
  actor: Actor,
  workspaceId: string,
  onBehalfOfId: string | undefined,
) {
  if (isSuperadmin(actor)) {
    const workspace = await tx
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', 'Workspace not found.');
  }
  if (onBehalfOfId !== undefined) {
    const requester = await tx
      .selectFrom('users')
      .select('id')
      .where('id', '=', onBehalfOfId)
      .where('workspaceId', '=', workspaceId)
      .where('role', 'in', requesterRoles)
      .where('isActive', '=', true)
      .executeTakeFirst();
    if (!requester) {
      throw new AppError('INVALID_REQUESTER', 'onBehalfOfId must be an active requester of the workspace.', {
        field: 'onBehalfOfId',
      });
    }
  }
}
