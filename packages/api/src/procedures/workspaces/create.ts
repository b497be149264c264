import {
  createWorkspaceInput,
  createWorkspace as createWorkspaceService,
  workspaceSchema,
} from '@tickets/core';
import { superadminProcedure } from '../base';

export const createWorkspace = superadminProcedure
  .input(createWorkspaceInput)
  .output(workspaceSchema)
  .mutation(({ ctx, input }) => createWorkspaceService(ctx.services.db, ctx.actor, input));
