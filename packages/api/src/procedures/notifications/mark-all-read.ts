import { markAllNotificationsRead, updatedCountSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const markAllRead = authedProcedure
  .meta({ summary: 'Marks every notification of the caller read.' })
  .output(updatedCountSchema)
  .mutation(({ ctx }) => markAllNotificationsRead(ctx.services.db, ctx.actor));
