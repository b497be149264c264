import { countUnreadNotifications, unreadCountSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const unreadNotificationCountProcedure = procedureFor('notification:own')
  .meta({ summary: "How many of the caller's notifications are unread." })
  .output(unreadCountSchema)
  .query(({ ctx }) => countUnreadNotifications(ctx.services.db, ctx.actor));
