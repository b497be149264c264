import type { AttachmentRow } from '@tickets/db';
import { AppError } from '../errors';
import { type Actor, isStaff } from '../policy/actor';
import { canSeeTicket } from '../policy/tickets';
import type { Executor } from '../shared/transaction';

/**
 * The attachment if the actor may see it: staff who see its ticket, or the ticket's requester when
 * it is not internal. Anything else answers exactly like a missing id (no existence oracle).
 */
export async function findVisibleAttachment(
  executor: Executor,
  actor: Actor,
  attachmentId: string,
): Promise<AttachmentRow> {
  const row = await executor
    .selectFrom('attachments')
    .innerJoin('tickets', 'tickets.id', 'attachments.ticketId')
    .selectAll('attachments')
    .select(['tickets.workspaceId as ticketWorkspaceId', 'tickets.createdBy as ticketCreatedBy'])
    .where('attachments.id', '=', attachmentId)
    .executeTakeFirst();
  if (!row) throw attachmentNotFound();
  const { ticketWorkspaceId, ticketCreatedBy, ...attachment } = row;
  if (!canSeeTicket(actor, { workspaceId: ticketWorkspaceId, createdBy: ticketCreatedBy })) {
    throw attachmentNotFound();
  }
  if (attachment.internal && !isStaff(actor)) throw attachmentNotFound();
  return attachment;
}

export const attachmentNotFound = () => new AppError('ATTACHMENT_NOT_FOUND', 'Attachment not found.');
