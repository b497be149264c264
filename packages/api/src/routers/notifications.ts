import { t } from '../init';
import { getPreferences } from '../procedures/notifications/get-preferences';
import { listNotifications } from '../procedures/notifications/list';
import { markAllRead } from '../procedures/notifications/mark-all-read';
import { markRead } from '../procedures/notifications/mark-read';
import { onNotification } from '../procedures/notifications/on-notification';
import { unreadNotificationCount } from '../procedures/notifications/unread-count';
import { updatePreferences } from '../procedures/notifications/update-preferences';

export const notificationsRouter = t.router({
  list: listNotifications,
  unreadCount: unreadNotificationCount,
  markRead,
  markAllRead,
  onNotification,
  getPreferences,
  updatePreferences,
});
