import {
  notificationPreferencesSchema,
  updateNotificationPreferences,
  updateNotificationPreferencesInput,
} from '@tickets/core';
import { authedProcedure } from '../base';

export const updatePreferences = authedProcedure
  .meta({ summary: 'Turns e-mail notifications on or off per event type.' })
  .input(updateNotificationPreferencesInput)
  .output(notificationPreferencesSchema)
  .mutation(({ ctx, input }) => updateNotificationPreferences(ctx.services.db, ctx.actor, input));
