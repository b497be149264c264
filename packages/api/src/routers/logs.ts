import { t } from '../init';

export const logsRouter = t.router({});
