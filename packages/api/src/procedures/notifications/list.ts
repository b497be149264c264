import {
  listNotificationsInput,
  listNotifications as listNotificationsService,
  notificationPageSchema,
} from '@tickets/core';
import { authedProcedure } from '../base';

export const listNotifications = authedProcedure
  .meta({ summary: "The caller's in-app notifications, newest first.", errors: ['INVALID_CURSOR'] })
  .input(listNotificationsInput)
  .output(notificationPageSchema)
  .query(({ ctx, input }) => listNotificationsService(ctx.services.db, ctx.actor, input));
