import { createWorkspace, createWorkspaceInput, workspaceSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const createWorkspaceProcedure = procedureFor('workspace:create')
  .meta({ summary: 'Creates a workspace (a tenant).', errors: ['WORKSPACE_SLUG_TAKEN'] })
  .input(createWorkspaceInput)
  .output(workspaceSchema)
  .mutation(({ ctx, input }) => createWorkspace(ctx.services.db, ctx.actor, input));
