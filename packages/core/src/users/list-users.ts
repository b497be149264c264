import type { Actor } from '../policy/actor';
import { resolveWorkspaceFilter } from '../policy/workspaces';
import { decodeTimestampCursor, type Page, toPage } from '../shared/pagination';
import type { Executor } from '../shared/transaction';
import type { ListUsersInput, User } from './schemas';
import { toUser } from './user-dto';

/** Staff: the users of their workspace, newest first. A superadmin names a workspace or lists everyone. */
export async function listUsers(
  executor: Executor,
  actor: Actor,
  input: ListUsersInput,
): Promise<Page<User>> {
  const workspaceId = resolveWorkspaceFilter(actor, input.workspaceId);
  let query = executor
    .selectFrom('users')
    .selectAll()
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1);
  if (workspaceId !== null) query = query.where('workspaceId', '=', workspaceId);
  if (input.role !== undefined) query = query.where('role', '=', input.role);
  if (input.isActive !== undefined) query = query.where('isActive', '=', input.isActive);
  if (input.cursor) {
    const [after, id] = decodeTimestampCursor(input.cursor);
    query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(after, id)));
  }
  const rows = await query.execute();
  return toPage(rows, input.limit, (row) => [row.createdAt.toISOString(), row.id], toUser);
}
