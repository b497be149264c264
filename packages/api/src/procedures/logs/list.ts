import {
  auditEventPageSchema,
  listAuditEventsInput,
  listAuditEvents as listAuditEventsService,
} from '@tickets/core';
import { authedProcedure } from '../base';

// Authed, not staff: a requester may read the log of their own ticket (the service enforces the rest).
export const listLogs = authedProcedure
  .meta({
    summary:
      'The audit log: who changed what and when, for one ticket or (staff) the whole workspace, newest first.',
    errors: ['TICKET_NOT_FOUND', 'WORKSPACE_REQUIRED', 'INVALID_CURSOR'],
  })
  .input(listAuditEventsInput)
  .output(auditEventPageSchema)
  .query(({ ctx, input }) => listAuditEventsService(ctx.services.db, ctx.actor, input));
