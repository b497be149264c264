import { markAllNotificationsRead, updatedCountSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const markAllRead = authedProcedure
  .output(updatedCountSchema)
  .mutation(({ ctx }) => markAllNotificationsRead(ctx.services.db, ctx.actor));
