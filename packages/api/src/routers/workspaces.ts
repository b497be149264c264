import { t } from '../init';

export const workspacesRouter = t.router({});
