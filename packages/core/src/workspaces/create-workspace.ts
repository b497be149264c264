import { AppError } from '../errors';
import type { Actor } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import type { Executor } from '../shared/transaction';
import { isUniqueViolation } from '../users/user-dto';
import type { CreateWorkspaceInput, Workspace } from './schemas';

const slugTaken = () => new AppError('WORKSPACE_SLUG_TAKEN', 'A workspace with this slug already exists.');

/** Superadmin only: enforced here, not only at the transport's gate. */
export async function createWorkspace(
  executor: Executor,
  actor: Actor,
  input: CreateWorkspaceInput,
): Promise<Workspace> {
  assertCan(actor, 'workspace:create');
  const existing = await executor
    .selectFrom('workspaces')
    .select('id')
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (existing) throw slugTaken();
  try {
    return await executor
      .insertInto('workspaces')
      .values({
        name: input.name,
        slug: input.slug,
        ...(input.allowSignUp === undefined ? {} : { allowSignUp: input.allowSignUp }),
      })
      .returning(['id', 'name', 'slug', 'allowSignUp', 'createdAt'])
      .executeTakeFirstOrThrow();
  } catch (error) {
    // Two creates racing past the pre-check: the unique constraint decides, and the loser gets the same answer.
    if (isUniqueViolation(error, 'workspaces_slug_key')) throw slugTaken();
    throw error;
  }
}
