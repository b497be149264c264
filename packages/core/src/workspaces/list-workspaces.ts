import { type Actor, isSuperadmin } from '../policy/actor';
import { decodeCursor, type Page, toPage } from '../shared/pagination';
import type { Executor } from '../shared/transaction';
import type { ListWorkspacesInput, Workspace } from './schemas';

/**
 * A superadmin walks every workspace, by slug; anyone else gets a page holding their own workspace,
 * in the same shape, so clients need one code path.
 */
export async function listWorkspaces(
  executor: Executor,
  actor: Actor,
  input: ListWorkspacesInput,
): Promise<Page<Workspace>> {
  const { limit } = input;
  let query = executor
    .selectFrom('workspaces')
    .select(['id', 'name', 'slug', 'allowSignUp', 'createdAt'])
    .orderBy('slug')
    .orderBy('id')
    .limit(limit + 1);
  if (!isSuperadmin(actor)) query = query.where('id', '=', actor.workspaceId as string);
  if (input.cursor) {
    const [slug, id] = decodeCursor(input.cursor);
    query = query.where((eb) => eb(eb.refTuple('slug', 'id'), '>', eb.tuple(String(slug), id)));
  }
  const rows = await query.execute();
  return toPage(
    rows,
    limit,
    (row) => [row.slug, row.id],
    (row) => row,
  );
}
