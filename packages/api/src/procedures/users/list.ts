import { listUsers, listUsersInput, userSchema } from '@tickets/core';
import { z } from 'zod';
import { procedureFor } from '../base';

export const listUsersProcedure = procedureFor('user:list')
  .meta({
    summary: 'Lists the users of a workspace (a superadmin names the workspace; others see their own).',
    errors: ['WORKSPACE_REQUIRED', 'WORKSPACE_NOT_FOUND', 'INVALID_CURSOR'],
  })
  .input(listUsersInput)
  .output(z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() }))
  .query(({ ctx, input }) => listUsers(ctx.services.db, ctx.actor, input));
