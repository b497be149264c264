import { t } from '../init';

export const notificationsRouter = t.router({});
