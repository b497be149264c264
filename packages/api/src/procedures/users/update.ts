import { updateUser, updateUserInput, userSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const updateUserProcedure = procedureFor('user:manage')
  .meta({
    summary:
      'Renames a user, changes their role, (de)activates them or sets a new password; role, activation and password changes end their sessions.',
    errors: ['USER_NOT_FOUND', 'FIELD_NOT_ALLOWED'],
  })
  .input(updateUserInput)
  .output(userSchema)
  .mutation(async ({ ctx, input }) => {
    const user = await updateUser(ctx.services.db, ctx.actor, input);
    // A change that may have ended the user's sessions: other instances hear of it by NOTIFY (sent only
    // when sessions were deleted); this one forgets them and checks its open streams against the database at once.
    if (input.role !== undefined || input.isActive === false || input.password !== undefined) {
      ctx.services.sessionCache?.forget({ userId: user.id });
      await ctx.services.notificationHub.verifySessions();
    }
    return user;
  });
