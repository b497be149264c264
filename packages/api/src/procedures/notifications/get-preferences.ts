import { getNotificationPreferences, notificationPreferencesSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const getPreferences = authedProcedure
  .meta({ summary: "The caller's e-mail notification preferences, per event type." })
  .output(notificationPreferencesSchema)
  .query(({ ctx }) => getNotificationPreferences(ctx.services.db, ctx.actor));
