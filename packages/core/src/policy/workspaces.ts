import { AppError } from '../errors';
import { type Actor, isSuperadmin } from './actor';

/**
 * The workspace a call acts on. Everyone but a superadmin acts in their own workspace; naming another
 * answers NOT_FOUND (no oracle). A superadmin must name one where the call needs one.
 */
export function resolveWorkspaceId(actor: Actor, requested: string | undefined): string {
  if (isSuperadmin(actor)) {
    if (!requested)
      throw new AppError('WORKSPACE_REQUIRED', 'A superadmin must pass workspaceId for this call.');
    return requested;
  }
  if (requested !== undefined && requested !== actor.workspaceId) {
    throw new AppError('WORKSPACE_NOT_FOUND', 'Workspace not found.');
  }
  return actor.workspaceId as string;
}

/** Like resolveWorkspaceId, but a superadmin naming none means "every workspace" (null). */
export function resolveWorkspaceFilter(actor: Actor, requested: string | undefined): string | null {
  if (isSuperadmin(actor)) return requested ?? null;
  return resolveWorkspaceId(actor, requested);
}
