import { updateUserInput, updateUser as updateUserService, userSchema } from '@tickets/core';
import { adminProcedure } from '../base';

export const updateUser = adminProcedure
  .meta({
    summary:
      'Renames a user, changes their role, (de)activates them or sets a new password; role, activation and password changes end their sessions.',
    errors: ['USER_NOT_FOUND', 'FIELD_NOT_ALLOWED'],
  })
  .input(updateUserInput)
  .output(userSchema)
  .mutation(({ ctx, input }) => updateUserService(ctx.services.db, ctx.actor, input));
