import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords';
import { AppError } from '../errors';
import { untilAnInsertWaits } from '../testing/locks';
import { createSuperadmin } from './create-superadmin';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const uniqueEmail = () => `root-${randomUUID().slice(0, 8)}@example.test`;
const PASSWORD = 'a long enough passphrase';

async function failure(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => expect.fail('expected the call to fail'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('createSuperadmin', () => {
  it('given a fresh e-mail, when the CLI creates a superadmin, then the row has no workspace, a lower-cased e-mail and an argon2id hash', async () => {
    const email = uniqueEmail();

    const created = await createSuperadmin(db, {
      email: ` ${email.toUpperCase()} `,
      password: PASSWORD,
      name: 'Root',
    });

    expect(created.email).toBe(email);
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'superadmin', workspaceId: null, email, isActive: true });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);
  });

  it('given an e-mail already taken in another case, when the CLI creates a superadmin, then EMAIL_TAKEN', async () => {
    const email = uniqueEmail();
    await createSuperadmin(db, { email, password: PASSWORD, name: 'Root' });

    const error = await failure(
      createSuperadmin(db, { email: email.toUpperCase(), password: PASSWORD, name: 'Again' }),
    );

    expect(error.code).toBe('EMAIL_TAKEN');
    expect(error.kind).toBe('CONFLICT');
  });

  it('given a short password and a bad e-mail, when the CLI creates a superadmin, then VALIDATION_FAILED names both fields', async () => {
    const error = await failure(createSuperadmin(db, { email: 'nope', password: 'short', name: 'Root' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/email/);
    expect(error.message).toMatch(/password/);
  });

  it('given a concurrent insert of the same e-mail that passed the pre-check, when it commits first, then the unique index answers EMAIL_TAKEN', async () => {
    const email = uniqueEmail();
    let outcome: Promise<unknown> = Promise.resolve();
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('users')
        .values({ workspaceId: null, role: 'superadmin', email, name: 'First', passwordHash: 'x' })
        .execute();
      outcome = createSuperadmin(db, { email, password: PASSWORD, name: 'Second' }).then(
        () => null,
        (error: unknown) => error,
      );
      await untilAnInsertWaits(db, 'users');
    });
    const error = await outcome;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('EMAIL_TAKEN');
  });
});
