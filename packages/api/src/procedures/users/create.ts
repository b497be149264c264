import { createUser, createUserInput, userSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const createUserProcedure = procedureFor('user:manage')
  .meta({
    summary: 'Creates an account in a workspace (an admin in their own; a superadmin names the workspace).',
    errors: ['EMAIL_TAKEN', 'WORKSPACE_REQUIRED', 'WORKSPACE_NOT_FOUND'],
  })
  .input(createUserInput)
  .output(userSchema)
  .mutation(({ ctx, input }) => createUser(ctx.services.db, ctx.actor, input));
