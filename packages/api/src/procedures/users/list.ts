import { listUsersInput, listUsers as listUsersService, userSchema } from '@tickets/core';
import { z } from 'zod';
import { staffProcedure } from '../base';

export const listUsers = staffProcedure
  .input(listUsersInput)
  .output(z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => listUsersService(ctx.services.db, ctx.actor, input));
