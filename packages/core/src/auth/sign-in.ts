import { AppError } from '../errors';
import type { Executor } from '../shared/transaction';
import { toUser } from '../users/user-dto';
import { rememberDevice } from './devices';
import { burnPasswordCheck, verifyPassword } from './passwords';
import type { AuthResult, SignInInput } from './schemas';
import { createSession } from './sessions';

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'Invalid e-mail or password.');

/**
 * Unknown e-mail, wrong password and deactivated account give one answer at about the same cost (an
 * argon2 check runs in every case), so neither the message nor the timing tells which it was.
 */
export async function signIn(
  executor: Executor,
  input: SignInInput,
  /** The device token a browser sent as a cookie, when the input carries none. */
  deviceCookie: string | null = null,
): Promise<AuthResult> {
  const row = await executor
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
    .executeTakeFirst();
  if (!row) {
    await burnPasswordCheck(input.password);
    throw invalidCredentials();
  }
  const passwordMatches = await verifyPassword(row.passwordHash, input.password);
  if (!passwordMatches || !row.isActive) throw invalidCredentials();
  const { token, session } = await createSession(executor, row.id);
  const deviceToken = await rememberDevice(executor, row.id, input.deviceToken ?? deviceCookie, row.email);
  return { user: toUser(row), token, expiresAt: session.expiresAt, deviceToken };
}
