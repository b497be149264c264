import type { UserRow } from '@tickets/db';
import type { User } from './schemas';

/** Row → contract. Drops the password hash; the CHECK constraint guarantees the role. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    email: row.email,
    name: row.name,
    role: row.role,
    isActive: row.isActive,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Postgres' unique_violation on a named constraint or index: the loser of an insert race. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && violated === constraint;
}
