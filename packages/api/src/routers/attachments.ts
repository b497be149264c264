import { t } from '../init';

export const attachmentsRouter = t.router({});
