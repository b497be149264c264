import { t } from '../init';

export const usersRouter = t.router({});
