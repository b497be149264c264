import { listNotifications, listNotificationsInput, notificationPageSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const listNotificationsProcedure = procedureFor('notification:own')
  .meta({ summary: "The caller's in-app notifications, newest first.", errors: ['INVALID_CURSOR'] })
  .input(listNotificationsInput)
  .output(notificationPageSchema)
  .query(({ ctx, input }) => listNotifications(ctx.services.db, ctx.actor, input));
