import { markAllNotificationsRead, updatedCountSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const markAllReadProcedure = procedureFor('notification:own')
  .meta({ summary: 'Marks every notification of the caller read.' })
  .output(updatedCountSchema)
  .mutation(({ ctx }) => markAllNotificationsRead(ctx.services.db, ctx.actor));
