import { constantTimeEqual } from '@oslojs/crypto/subtle';
import type { Executor } from '../shared/transaction';
import { hashSecret, randomSecret } from './sessions';

// OWASP's "device cookie" against account lockout: a browser or program that signed in to an account
// successfully keeps a device token (`<id>.<secret>`, only SHA-256 of the secret stored, like a
// session). Sign-in attempts presenting a valid one for the account are throttled per device, apart
// from attempts by strangers; so an attacker who exhausts the account's budget from elsewhere cannot
// lock its owner out of the devices they already use.

export const DEVICE_COOKIE = 'tickets_device';
export const DEVICE_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/** The device behind `token` if it signed in to the account of `email` before and is not expired. */
export async function recognisedDevice(
  executor: Executor,
  token: string,
  email: string,
  now = new Date(),
): Promise<string | null> {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return null;
  const row = await executor
    .selectFrom('signInDevices')
    .innerJoin('users', 'users.id', 'signInDevices.userId')
    .select(['signInDevices.secretHash', 'signInDevices.expiresAt'])
    .where('signInDevices.id', '=', id)
    .where((eb) => eb(eb.fn('lower', ['users.email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  // Constant-time, as for sessions: the comparison must not tell how much of the secret was right.
  return constantTimeEqual(hashSecret(secret), new Uint8Array(row.secretHash)) ? id : null;
}

/**
 * After a successful sign-in: the token the device keeps. One it presented that is valid for this
 * user is kept (and its life extended); otherwise a new one is issued.
 */
export async function rememberDevice(
  executor: Executor,
  userId: string,
  presented: string | null,
  email: string,
  now = new Date(),
): Promise<string> {
  const expiresAt = new Date(now.getTime() + DEVICE_LIFETIME_MS);
  const known = presented ? await recognisedDevice(executor, presented, email, now) : null;
  if (known && presented) {
    await executor.updateTable('signInDevices').set({ expiresAt }).where('id', '=', known).execute();
    return presented;
  }
  const id = randomSecret();
  const secret = randomSecret();
  await executor
    .insertInto('signInDevices')
    .values({ id, secretHash: hashSecret(secret), userId, expiresAt })
    .execute();
  return `${id}.${secret}`;
}
