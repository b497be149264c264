import {
  type TicketPriority,
  type TicketStatus,
  ticketCategories,
  ticketPriorities,
  ticketStatuses,
} from '@tickets/db';
import { z } from 'zod';
import { idempotencyKeySchema } from '../idempotency/schemas';
import { pageInput } from '../shared/pagination';
import { ticketSlaSchema } from '../sla/schemas';

// Declared once, beside the columns that store them (@tickets/db's enums.ts); kept under these names.
export {
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
  ticketCategories,
  ticketPriorities,
  ticketStatuses,
} from '@tickets/db';

export const ticketStatusSchema = z.enum(ticketStatuses);
export const ticketPrioritySchema = z.enum(ticketPriorities);
export const ticketCategorySchema = z.enum(ticketCategories);

export const ticketTitleSchema = z.string().trim().min(1).max(200);
export const ticketDescriptionSchema = z.string().trim().min(1).max(20_000);

/** A ticket as every client sees it. */
export const ticketSchema = z.object({
  id: z.uuid(),
  workspaceId: z.uuid(),
  title: z.string(),
  description: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  category: ticketCategorySchema,
  createdBy: z.uuid(),
  assignedTo: z.uuid().nullable(),
  isEscalated: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  firstResponseAt: z.date().nullable(),
  resolvedAt: z.date().nullable(),
  version: z.number().int(),
  /** The service-level clock (docs/SLA.md); null on a ticket that has none. */
  sla: ticketSlaSchema.nullable(),
});
export type Ticket = z.infer<typeof ticketSchema>;

/** Requesters choose among these at creation; `critical` is reserved for staff and escalation. */
export const requesterPriorities = ['low', 'medium', 'high'] as const satisfies readonly TicketPriority[];

const reasonSchema = z.string().trim().max(2000);
const expectedVersionSchema = z.number().int().min(1).max(2_147_483_647);

// Every command input is strict: a key the contract does not name (createdBy, status, workspaceId on
// update, assignedTo…) is refused with the key named, never silently written or silently dropped.

export const getTicketInput = z.object({ id: z.uuid() }).strict();
export type GetTicketInput = z.infer<typeof getTicketInput>;

export const createTicketInput = z
  .object({
    title: ticketTitleSchema,
    description: ticketDescriptionSchema,
    category: ticketCategorySchema.default('general'),
    priority: ticketPrioritySchema.default('medium'),
    /** Staff only: the requester of the workspace the ticket is for. */
    onBehalfOfId: z.uuid().optional(),
    /** Superadmin: the workspace the ticket goes to (others act in their own). */
    workspaceId: z.uuid().optional(),
    /** A retry with the same key answers the first result and creates nothing. */
    idempotencyKey: idempotencyKeySchema.optional(),
  })
  .strict();
export type CreateTicketInput = z.infer<typeof createTicketInput>;

export const updateTicketInput = z
  .object({
    id: z.uuid(),
    /** The version the caller last saw; a newer row answers VERSION_CONFLICT. */
    expectedVersion: expectedVersionSchema.optional(),
    title: ticketTitleSchema.optional(),
    description: ticketDescriptionSchema.optional(),
    category: ticketCategorySchema.optional(),
    /** Staff only. */
    priority: ticketPrioritySchema.optional(),
    /** Staff only, through the transition table. */
    status: ticketStatusSchema.optional(),
  })
  .strict();
export type UpdateTicketInput = z.infer<typeof updateTicketInput>;

export const assignTicketInput = z
  .object({
    id: z.uuid(),
    /** null unassigns. */
    assigneeId: z.uuid().nullable(),
    expectedVersion: expectedVersionSchema.optional(),
  })
  .strict();
export type AssignTicketInput = z.infer<typeof assignTicketInput>;

export const escalateTicketInput = z
  .object({
    id: z.uuid(),
    reason: reasonSchema.optional(),
    expectedVersion: expectedVersionSchema.optional(),
  })
  .strict();
export type EscalateTicketInput = z.infer<typeof escalateTicketInput>;

export const closeTicketInput = z
  .object({
    id: z.uuid(),
    reason: reasonSchema.optional(),
    expectedVersion: expectedVersionSchema.optional(),
  })
  .strict();
export type CloseTicketInput = z.infer<typeof closeTicketInput>;

export const reopenStatuses = ['open', 'in_progress'] as const satisfies readonly TicketStatus[];

export const reopenTicketInput = z
  .object({
    id: z.uuid(),
    /** Requesters may only reopen to `open`. */
    status: z.enum(reopenStatuses).default('open'),
    reason: reasonSchema.optional(),
    expectedVersion: expectedVersionSchema.optional(),
  })
  .strict();
export type ReopenTicketInput = z.infer<typeof reopenTicketInput>;

export const ticketSorts = ['created', 'updated', 'priority', 'sla'] as const;
export type TicketSort = (typeof ticketSorts)[number];

export const listTicketsInput = pageInput
  .extend({
    status: ticketStatusSchema.optional(),
    priority: ticketPrioritySchema.optional(),
    category: ticketCategorySchema.optional(),
    /** A staff member's id, or 'none' for unassigned tickets. */
    assignedTo: z.union([z.uuid(), z.literal('none')]).optional(),
    createdBy: z.uuid().optional(),
    isEscalated: z.boolean().optional(),
    /** Full-text search over title and description (web-search syntax: words, "phrases", -exclusions). */
    q: z.string().trim().max(200).optional(),
    /**
     * Service level: 'breached' lists tickets not closed that missed a target; { dueWithinMinutes } lists
     * tickets whose nearest running target falls due within that many minutes (or is due already).
     */
    sla: z
      .union([
        z.literal('breached'),
        z.object({ dueWithinMinutes: z.number().int().min(0).max(525_600) }).strict(),
      ])
      .optional(),
    /**
     * Newest first in created, updated and priority order; 'sla' is soonest due first (tickets with no
     * running target last). Ties broken by id.
     */
    sort: z.enum(ticketSorts).default('created'),
    /** Superadmin: one workspace; omitted means every workspace. */
    workspaceId: z.uuid().optional(),
  })
  .strict()
  // No input at all is the first page with the defaults (prefault parses {}, so limit gets its default).
  .prefault({});
export type ListTicketsInput = z.infer<typeof listTicketsInput>;

export const ticketPageSchema = z.object({ items: z.array(ticketSchema), nextCursor: z.string().nullable() });
