import { AppError } from '../errors';
import { type Actor, isSuperadmin, type Role } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { resolveWorkspaceId } from '../policy/workspaces';
import { type Executor, inTransaction } from '../shared/transaction';
import { insertUser } from './insert-user';
import type { CreateUserInput, User } from './schemas';
import { toUser } from './user-dto';

/** The roles an admin may hand out in their own workspace; only a superadmin makes admins and superadmins. */
const rolesAnAdminGrants: readonly Role[] = ['support', 'writer', 'client'];

/** Admin (own workspace) or superadmin (any workspace, any role): enforced again here, not only at the gate. */
export async function createUser(executor: Executor, actor: Actor, input: CreateUserInput): Promise<User> {
  assertCan(actor, 'user:manage');
  if (!isSuperadmin(actor) && !(actor.role === 'admin' && rolesAnAdminGrants.includes(input.role))) {
    throw new AppError('FORBIDDEN', `You may not create a user with the role ${input.role}.`);
  }
  let workspaceId: string | null = null;
  if (input.role === 'superadmin') {
    if (input.workspaceId !== undefined) {
      throw new AppError('VALIDATION_FAILED', 'A superadmin belongs to no workspace.', {
        field: 'workspaceId',
      });
    }
  } else {
    workspaceId = resolveWorkspaceId(actor, input.workspaceId);
  }
  return inTransaction(executor, async (tx) => {
    if (workspaceId) {
      const workspace = await tx
        .selectFrom('workspaces')
        .select('id')
        .where('id', '=', workspaceId)
        .executeTakeFirst();
      if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', 'Workspace not found.');
    }
    const row = await insertUser(tx, { ...input, workspaceId });
    return toUser(row);
  });
}
