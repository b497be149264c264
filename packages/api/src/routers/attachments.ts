import { t } from '../init';
import { getAttachmentProcedure } from '../procedures/attachments/get';
import { listAttachmentsProcedure } from '../procedures/attachments/list';

export const attachmentsRouter = t.router({
  list: listAttachmentsProcedure,
  get: getAttachmentProcedure,
});
