import { createUserInput, createUser as createUserService, userSchema } from '@tickets/core';
import { adminProcedure } from '../base';

export const createUser = adminProcedure
  .meta({
    summary: 'Creates an account in a workspace (an admin in their own; a superadmin names the workspace).',
    errors: ['EMAIL_TAKEN', 'WORKSPACE_REQUIRED', 'WORKSPACE_NOT_FOUND'],
  })
  .input(createUserInput)
  .output(userSchema)
  .mutation(({ ctx, input }) => createUserService(ctx.services.db, ctx.actor, input));
