import { getNotificationPreferences, notificationPreferencesSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const getPreferencesProcedure = procedureFor('notification:own')
  .meta({ summary: "The caller's e-mail notification preferences, per event type." })
  .output(notificationPreferencesSchema)
  .query(({ ctx }) => getNotificationPreferences(ctx.services.db, ctx.actor));
