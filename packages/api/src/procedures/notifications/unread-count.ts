import { countUnreadNotifications, unreadCountSchema } from '@tickets/core';
import { authedProcedure } from '../base';

export const unreadNotificationCount = authedProcedure
  .output(unreadCountSchema)
  .query(({ ctx }) => countUnreadNotifications(ctx.services.db, ctx.actor));
