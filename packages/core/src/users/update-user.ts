import type { UsersTable } from '@tickets/db';
import type { Updateable } from 'kysely';
import { hashPassword } from '../auth/passwords';
import { invalidateUserSessions } from '../auth/sessions';
import { AppError } from '../errors';
import { type Actor, isStaffRole, isSuperadmin, type Role } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { type Executor, inTransaction } from '../shared/transaction';
import { releaseAssignments } from '../tickets/release-assignments';
import type { UpdateUserInput, User } from './schemas';
import { toUser } from './user-dto';

const privilegedRoles: readonly Role[] = ['admin', 'superadmin'];
const forbidden = (message: string) => new AppError('FORBIDDEN', message);

/**
 * Admin (own workspace) or superadmin (anyone). A change of role, a deactivation or a new password
 * ends every session of the user in the same transaction, so a demoted or locked-out user's old token
 * stops working the moment the change commits; staff who are demoted or deactivated also give up the
 * tickets assigned to them (releaseAssignments), in the same transaction.
 */
export async function updateUser(executor: Executor, actor: Actor, input: UpdateUserInput): Promise<User> {
  assertCan(actor, 'user:manage');
  // Hashed before the transaction: argon2 is slow by design and must not hold the row lock.
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return inTransaction(executor, async (tx) => {
    let lookup = tx.selectFrom('users').selectAll().where('id', '=', input.id).forUpdate();
    if (!isSuperadmin(actor)) lookup = lookup.where('workspaceId', '=', actor.workspaceId as string);
    const target = await lookup.executeTakeFirst();
    if (!target) throw new AppError('USER_NOT_FOUND', 'User not found.');

    const currentRole = target.role;
    const nextRole = input.role ?? currentRole;
    const roleChanges = nextRole !== currentRole;
    const isSelf = target.id === actor.id;
    if (!isSuperadmin(actor)) {
      // An admin may update their own name or password, but no other admin.
      if (!isSelf && privilegedRoles.includes(currentRole))
        throw forbidden('You may not change another admin.');
      if (roleChanges && privilegedRoles.includes(nextRole)) {
        throw forbidden(`You may not grant the role ${nextRole}.`);
      }
    }
    if (isSelf && roleChanges) throw forbidden('You may not change your own role.');
    if (isSelf && input.isActive === false) throw forbidden('You may not deactivate yourself.');
    if (roleChanges && (nextRole === 'superadmin' || currentRole === 'superadmin')) {
      // A superadmin lives outside every workspace; moving a user across that line is a new account.
      throw new AppError(
        'VALIDATION_FAILED',
        'The superadmin role cannot be granted or removed by an update.',
        {
          field: 'role',
        },
      );
    }

    const patch: Updateable<UsersTable> = {};
    if (input.name !== undefined && input.name !== target.name) patch.name = input.name;
    if (roleChanges) patch.role = nextRole;
    if (input.isActive !== undefined && input.isActive !== target.isActive) patch.isActive = input.isActive;
    if (passwordHash !== undefined) patch.passwordHash = passwordHash;
    if (Object.keys(patch).length === 0) return toUser(target);

    const updated = await tx
      .updateTable('users')
      .set({ ...patch, updatedAt: new Date() })
      .where('id', '=', target.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (roleChanges || patch.isActive === false || passwordHash !== undefined) {
      await invalidateUserSessions(tx, target.id);
    }
    if (isStaffRole(currentRole) && !isStaffRole(nextRole)) {
      await releaseAssignments(tx, actor, target.id, 'assignee_no_longer_staff');
    } else if (isStaffRole(currentRole) && patch.isActive === false) {
      await releaseAssignments(tx, actor, target.id, 'assignee_deactivated');
    }
    return toUser(updated);
  });
}
