import { t } from '../init';

export const statsRouter = t.router({});
