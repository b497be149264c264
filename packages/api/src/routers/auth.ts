import { t } from '../init';

export const authRouter = t.router({});
