import { createUserInput, createUser as createUserService, userSchema } from '@tickets/core';
import { adminProcedure } from '../base';

export const createUser = adminProcedure
  .input(createUserInput)
  .output(userSchema)
  .mutation(({ ctx, input }) => createUserService(ctx.services.db, ctx.actor, input));
