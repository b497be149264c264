import { t } from '../init';

export const messagesRouter = t.router({});
