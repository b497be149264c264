import {
  createWorkspaceInput,
  createWorkspace as createWorkspaceService,
  workspaceSchema,
} from '@tickets/core';
import { superadminProcedure } from '../base';

export const createWorkspace = superadminProcedure
  .meta({ summary: 'Creates a workspace (a tenant).', errors: ['WORKSPACE_SLUG_TAKEN'] })
  .input(createWorkspaceInput)
  .output(workspaceSchema)
  .mutation(({ ctx, input }) => createWorkspaceService(ctx.services.db, ctx.actor, input));
