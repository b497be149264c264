import { t } from '../init';

export const ticketsRouter = t.router({});
