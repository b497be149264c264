import { z } from 'zod';
import { pageInput } from '../shared/pagination';

export const workspaceSlugSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9-]+$/, 'Use lowercase letters, digits and hyphens only.');
export const workspaceNameSchema = z.string().trim().min(1).max(120);

export const workspaceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  allowSignUp: z.boolean(),
  createdAt: z.date(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const createWorkspaceInput = z
  .object({ name: workspaceNameSchema, slug: workspaceSlugSchema, allowSignUp: z.boolean().optional() })
  .strict();
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceInput>;

export const listWorkspacesInput = pageInput
  .strict()
  // No input at all is the first page with the defaults (prefault parses {}, so limit gets its default).
  .prefault({});
export type ListWorkspacesInput = z.infer<typeof listWorkspacesInput>;
