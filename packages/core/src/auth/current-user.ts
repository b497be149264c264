import type { Actor } from '../policy/actor';
import type { Executor } from '../shared/transaction';
import type { User } from '../users/schemas';
import { toUser } from '../users/user-dto';

/** The signed-in user, or null for an anonymous caller. */
export async function getCurrentUser(executor: Executor, actor: Actor | null): Promise<User | null> {
  if (!actor) return null;
  const row = await executor.selectFrom('users').selectAll().where('id', '=', actor.id).executeTakeFirst();
  return row ? toUser(row) : null;
}
