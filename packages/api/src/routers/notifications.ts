import { t } from '../init';
import { getPreferencesProcedure } from '../procedures/notifications/get-preferences';
import { listNotificationsProcedure } from '../procedures/notifications/list';
import { markAllReadProcedure } from '../procedures/notifications/mark-all-read';
import { markReadProcedure } from '../procedures/notifications/mark-read';
import { onNotificationProcedure } from '../procedures/notifications/on-notification';
import { unreadNotificationCountProcedure } from '../procedures/notifications/unread-count';
import { updatePreferencesProcedure } from '../procedures/notifications/update-preferences';

export const notificationsRouter = t.router({
  list: listNotificationsProcedure,
  unreadCount: unreadNotificationCountProcedure,
  markRead: markReadProcedure,
  markAllRead: markAllReadProcedure,
  onNotification: onNotificationProcedure,
  getPreferences: getPreferencesProcedure,
  updatePreferences: updatePreferencesProcedure,
});
