import { t } from '../init';
import { createUser } from '../procedures/users/create';
import { listUsers } from '../procedures/users/list';
import { updateUser } from '../procedures/users/update';

export const usersRouter = t.router({ create: createUser, list: listUsers, update: updateUser });
