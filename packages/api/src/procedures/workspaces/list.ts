import { listWorkspaces, listWorkspacesInput, workspaceSchema } from '@tickets/core';
import { z } from 'zod';
import { procedureFor } from '../base';

export const listWorkspacesProcedure = procedureFor('workspace:list')
  .meta({
    summary: 'The workspaces the caller can see: all of them for a superadmin, their own for everyone else.',
    errors: ['INVALID_CURSOR'],
  })
  .input(listWorkspacesInput)
  .output(z.object({ items: z.array(workspaceSchema), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => listWorkspaces(ctx.services.db, ctx.actor, input));
