import { countUnreadNotifications, unreadCountSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const unreadNotificationCount = authedProcedure
  .meta({ summary: "How many of the caller's notifications are unread." })
  .output(unreadCountSchema)
  .query(({ ctx }) => countUnreadNotifications(ctx.services.db, ctx.actor));
