import { AppError } from '../errors';
import type { Executor } from '../shared/transaction';
import { insertUser } from './insert-user';
import { type CreateSuperadminInput, createSuperadminInput } from './schemas';

/**
 * Bootstraps a superadmin: the command-line step, run before any actor exists, so it takes none. It
 * validates its own input because no transport does it on this path.
 */
export async function createSuperadmin(
  executor: Executor,
  input: CreateSuperadminInput,
): Promise<{ id: string; email: string }> {
  const parsed = createSuperadminInput.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new AppError('VALIDATION_FAILED', summary, { issues });
  }
  const { email, password, name } = parsed.data;
  const user = await insertUser(executor, { workspaceId: null, email, password, name, role: 'superadmin' });
  return { id: user.id, email: user.email };
}
