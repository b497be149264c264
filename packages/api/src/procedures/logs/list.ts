import { auditEventPageSchema, listAuditEvents, listAuditEventsInput } from '@tickets/core';
import { procedureFor } from '../base';

// Authed, not staff: a requester may read the log of their own ticket (the service enforces the rest).
export const listLogsProcedure = procedureFor('log:read')
  .meta({
    summary:
      'The audit log: who changed what and when, for one ticket or (staff) the whole workspace, newest first.',
    errors: ['TICKET_NOT_FOUND', 'WORKSPACE_REQUIRED', 'INVALID_CURSOR'],
  })
  .input(listAuditEventsInput)
  .output(auditEventPageSchema)
  .query(({ ctx, input }) => listAuditEvents(ctx.services.db, ctx.actor, input));
