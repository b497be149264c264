import { t } from '../init';
import { createUserProcedure } from '../procedures/users/create';
import { listUsersProcedure } from '../procedures/users/list';
import { updateUserProcedure } from '../procedures/users/update';

export const usersRouter = t.router({
  create: createUserProcedure,
  list: listUsersProcedure,
  update: updateUserProcedure,
});
