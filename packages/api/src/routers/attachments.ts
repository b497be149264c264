import { t } from '../init';
import { getAttachment } from '../procedures/attachments/get';
import { listAttachments } from '../procedures/attachments/list';

export const attachmentsRouter = t.router({
  list: listAttachments,
  get: getAttachment,
});
