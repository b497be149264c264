import {
  notificationPreferencesSchema,
  updateNotificationPreferences,
  updateNotificationPreferencesInput,
} from '@tickets/core';
import { procedureFor } from '../base';

export const updatePreferencesProcedure = procedureFor('notification:own')
  .meta({ summary: 'Turns e-mail notifications on or off per event type.' })
  .input(updateNotificationPreferencesInput)
  .output(notificationPreferencesSchema)
  .mutation(({ ctx, input }) => updateNotificationPreferences(ctx.services.db, ctx.actor, input));
