import { AppError } from '../errors';
import { type Executor, inTransaction } from '../shared/transaction';
import { insertUser } from '../users/insert-user';
import { toUser } from '../users/user-dto';
import { rememberDevice } from './devices';
import type { AuthResult, SignUpInput } from './schemas';
import { createSession } from './sessions';

/**
 * Public self-service: creates a `client` in a workspace that allows sign-up and opens their first
 * session. An unknown slug answers exactly like a closed workspace, so slugs cannot be probed.
 */
export async function signUp(executor: Executor, input: SignUpInput): Promise<AuthResult> {
  return inTransaction(executor, async (tx) => {
    const workspace = await tx
      .selectFrom('workspaces')
      .select(['id', 'allowSignUp'])
      .where('slug', '=', input.workspaceSlug)
      .executeTakeFirst();
    if (!workspace?.allowSignUp) {
      throw new AppError('SIGN_UP_DISABLED', 'This workspace does not accept sign-ups.');
    }
    const row = await insertUser(tx, {
      workspaceId: workspace.id,
      email: input.email,
      password: input.password,
      name: input.name,
      role: 'client',
    });
    const { token, session } = await createSession(tx, row.id);
    const deviceToken = await rememberDevice(tx, row.id, null, row.email);
    return { user: toUser(row), token, expiresAt: session.expiresAt, deviceToken };
  });
}
