import { z } from 'zod';
import { pageInput } from '../shared/pagination';
import { auditActions } from './record-audit-event';

export const auditActionSchema = z.enum(auditActions);

/** Newest first. Requesters must name one of their own tickets. */
export const listAuditEventsInput = pageInput
  .extend({
    ticketId: z.uuid().optional(),
    action: auditActionSchema.optional(),
    actorId: z.uuid().optional(),
    /** Superadmin: one workspace; omitted means every workspace. */
    workspaceId: z.uuid().optional(),
  })
  .strict()
  // No input at all is the first page with the defaults (prefault parses {}, so limit gets its default).
  .prefault({});
export type ListAuditEventsInput = z.infer<typeof listAuditEventsInput>;

export const auditEventSchema = z.object({
  id: z.uuid(),
  workspaceId: z.uuid(),
  ticketId: z.uuid().nullable(),
  /** Null when the system acted (a service-level breach). */
  actorId: z.uuid().nullable(),
  action: auditActionSchema,
  /** True for events about internal notes and attachments; requesters only ever receive false. */
  internal: z.boolean(),
  /** What the action recorded, by action (e.g. message.created: { messageId, internal }). */
  data: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditEventPageSchema = z.object({
  items: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
});
