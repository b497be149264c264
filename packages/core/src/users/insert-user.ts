import type { UserRow } from '@tickets/db';
import { hashPassword } from '../auth/passwords';
import { AppError } from '../errors';
import type { Role } from '../policy/actor';
import type { Executor } from '../shared/transaction';
import { isUniqueViolation } from './user-dto';

export interface NewUser {
  workspaceId: string | null;
  /** Already normalised (trimmed, lower-cased) by emailSchema. */
  email: string;
  password: string;
  name: string;
  role: Role;
}

const emailTaken = () => new AppError('EMAIL_TAKEN', 'An account with this e-mail already exists.');

/**
 * Inserts one user with an argon2id hash. EMAIL_TAKEN comes from the pre-check (the usual case, which
 * also spares the hash) or from the unique index when two calls race for the same address.
 */
export async function insertUser(executor: Executor, user: NewUser): Promise<UserRow> {
  const existing = await executor
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', user.email.toLowerCase()))
    .executeTakeFirst();
  if (existing) throw emailTaken();
  const passwordHash = await hashPassword(user.password);
  try {
    return await executor
      .insertInto('users')
      .values({
        workspaceId: user.workspaceId,
        email: user.email.toLowerCase(),
        name: user.name,
        role: user.role,
        passwordHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) throw emailTaken();
    throw error;
  }
}
