import { listWorkspacesInput, listWorkspaces as listWorkspacesService, workspaceSchema } from '@tickets/core';
import { z } from 'zod';
import { authedProcedure } from '../base';

export const listWorkspaces = authedProcedure
  .meta({
    summary: 'The workspaces the caller can see: all of them for a superadmin, their own for everyone else.',
    errors: ['INVALID_CURSOR'],
  })
  .input(listWorkspacesInput)
  .output(z.object({ items: z.array(workspaceSchema), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => listWorkspacesService(ctx.services.db, ctx.actor, input));
