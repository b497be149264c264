import { type Actor, isSuperadmin } from './actor';

/**
 * Webhooks send a workspace's whole event stream elsewhere: only its admins (and a superadmin) may
 * register, change, read or test them. Scoping to the workspace happens in the queries.
 */
export function canManageWebhooks(actor: Actor): boolean {
  return actor.role === 'admin' || isSuperadmin(actor);
}
