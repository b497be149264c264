import { getCurrentUser, userSchema } from '@tickets/core';
import { publicProcedure } from '../base';

export const me = publicProcedure
  .output(userSchema.nullable())
  .query(({ ctx }) => getCurrentUser(ctx.services.db, ctx.actor));
