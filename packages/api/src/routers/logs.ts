import { t } from '../init';
import { listLogs } from '../procedures/logs/list';

export const logsRouter = t.router({ list: listLogs });
