import { getCurrentUser, userSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const meProcedure = procedureFor('account:whoami')
  .meta({ summary: 'The signed-in user, or null when the call carries no valid session.' })
  .output(userSchema.nullable())
  .query(({ ctx }) => getCurrentUser(ctx.services.db, ctx.actor));
