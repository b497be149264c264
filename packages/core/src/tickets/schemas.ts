import { z } from 'zod';

export const ticketStatuses = ['open', 'in_progress', 'awaiting_response', 'escalated', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const ticketPriorities = ['low', 'medium', 'high', 'critical'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];
export const ticketCategories = ['general', 'payment', 'technical', 'feedback', 'order', 'other'] as const;
export type TicketCategory = (typeof ticketCategories)[number];

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
});
export type Ticket = z.infer<typeof ticketSchema>;
