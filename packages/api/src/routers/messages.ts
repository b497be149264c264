import { t } from '../init';
import { createMessage } from '../procedures/messages/create';
import { listMessages } from '../procedures/messages/list';

export const messagesRouter = t.router({ list: listMessages, create: createMessage });
