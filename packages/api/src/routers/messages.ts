import { t } from '../init';
import { createMessageProcedure } from '../procedures/messages/create';
import { listMessagesProcedure } from '../procedures/messages/list';

export const messagesRouter = t.router({ list: listMessagesProcedure, create: createMessageProcedure });
