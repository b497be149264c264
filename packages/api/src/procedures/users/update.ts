import { updateUserInput, updateUser as updateUserService, userSchema } from '@tickets/core';
import { adminProcedure } from '../base';

export const updateUser = adminProcedure
  .input(updateUserInput)
  .output(userSchema)
  .mutation(({ ctx, input }) => updateUserService(ctx.services.db, ctx.actor, input));
