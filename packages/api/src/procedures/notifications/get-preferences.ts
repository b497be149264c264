import { getNotificationPreferences, notificationPreferencesSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const getPreferences = authedProcedure
  .output(notificationPreferencesSchema)
  .query(({ ctx }) => getNotificationPreferences(ctx.services.db, ctx.actor));
