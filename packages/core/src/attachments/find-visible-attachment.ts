import type { AttachmentRow } from '@tickets/db';
import type { Actor } from '../policy/actor';
import { assertCan, attachmentNotFound } from '../policy/permissions';
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
  assertCan(actor, 'attachment:read', {
    workspaceId: ticketWorkspaceId,
    createdBy: ticketCreatedBy,
    internal: attachment.internal,
  });
  return attachment;
}
