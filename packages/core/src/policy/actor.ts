import type { Role } from '@tickets/db';

// Declared once, beside the column that stores them (@tickets/db's enums.ts); kept under these names.
export { type Role, roles } from '@tickets/db';

export const staffRoles = ['superadmin', 'admin', 'support'] as const satisfies readonly Role[];
export type StaffRole = (typeof staffRoles)[number];
export const adminRoles = ['superadmin', 'admin'] as const satisfies readonly StaffRole[];
export type AdminRole = (typeof adminRoles)[number];
export const requesterRoles = ['writer', 'client'] as const satisfies readonly Role[];
export type RequesterRole = (typeof requesterRoles)[number];

/** Who is calling: resolved from the session, never from input. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  /** null only for a superadmin, who acts across workspaces. */
  readonly workspaceId: string | null;
}
export type StaffActor = Actor & { readonly role: StaffRole };
export type AdminActor = Actor & { readonly role: AdminRole };
export type SuperadminActor = Actor & { readonly role: 'superadmin' };
export type RequesterActor = Actor & { readonly role: RequesterRole; readonly workspaceId: string };

export const isStaffRole = (role: Role): role is StaffRole => (staffRoles as readonly Role[]).includes(role);
export const isStaff = (actor: Actor): actor is StaffActor => isStaffRole(actor.role);
export const isRequester = (actor: Actor): actor is RequesterActor => !isStaff(actor);
export const isSuperadmin = (actor: Actor): boolean => actor.role === 'superadmin';
