import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { z } from 'zod';
import { AppError } from '../errors';
import { type Executor, inTransaction } from '../shared/transaction';
import { createSuperadmin } from '../users/create-superadmin';
import { emailSchema, passwordSchema, userNameSchema } from '../users/schemas';
import { toUser } from '../users/user-dto';
import { rememberDevice } from './devices';
import type { AuthResult } from './schemas';
import { createSession } from './sessions';

// First-run setup, as Jenkins and Grafana do it: a server that finds no superadmin prints a one-time
// token; whoever can read the server's output proves it by presenting the token, and becomes the first
// superadmin. Only SHA-256(token) is stored (a leaked table cannot be replayed), in the database rather
// than in memory, so any instance sharing the PostgreSQL accepts a token another instance printed.

export const firstRunSetupInput = z
  .object({
    token: z.string().trim().min(1).max(128),
    email: emailSchema,
    password: passwordSchema,
    name: userNameSchema,
  })
  .strict();
export type FirstRunSetupInput = z.infer<typeof firstRunSetupInput>;

function hashToken(token: string): Uint8Array {
  return sha256(new TextEncoder().encode(token));
}

async function superadminExists(executor: Executor): Promise<boolean> {
  const row = await executor
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'superadmin')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * At start-up: when no superadmin exists, stores the hash of a fresh one-time token and returns the
 * token (to be printed once); otherwise clears any token left over and returns null.
 */
export async function issueFirstRunSetupToken(executor: Executor): Promise<string | null> {
  if (await superadminExists(executor)) {
    await executor.deleteFrom('setupTokens').execute();
    return null;
  }
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  await executor
    .insertInto('setupTokens')
    .values({ tokenHash: hashToken(token) })
    .execute();
  return token;
}

const setupRefused = () =>
  new AppError(
    'SETUP_TOKEN_INVALID',
    'This setup token is not valid: it is mistyped, already used, or a superadmin already exists (sign in instead).',
    { field: 'token' },
  );

/**
 * Creates the first superadmin and signs them in, once. Every stored token is deleted in the same
 * transaction: on PostgreSQL a concurrent setup waits on those rows and then finds none, so exactly one
 * call wins; a refused call rolls back and leaves the tokens as they were.
 */
export async function completeFirstRunSetup(
  executor: Executor,
  input: FirstRunSetupInput,
): Promise<AuthResult> {
  const presented = hashToken(input.token);
  return inTransaction(executor, async (tx) => {
    const stored = await tx.deleteFrom('setupTokens').returning('tokenHash').execute();
    // Constant-time: the comparison must not tell an attacker how many bytes of a guess were right.
    const matches = stored.some((row) => constantTimeEqual(new Uint8Array(row.tokenHash), presented));
    if (!matches || (await superadminExists(tx))) throw setupRefused();
    const { id } = await createSuperadmin(tx, {
      email: input.email,
      password: input.password,
      name: input.name,
    });
    const row = await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const { token, session } = await createSession(tx, id);
    const deviceToken = await rememberDevice(tx, id, null, row.email);
    return { user: toUser(row), token, expiresAt: session.expiresAt, deviceToken };
  });
}
