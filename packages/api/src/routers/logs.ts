import { t } from '../init';
import { listLogsProcedure } from '../procedures/logs/list';

export const logsRouter = t.router({ list: listLogsProcedure });
