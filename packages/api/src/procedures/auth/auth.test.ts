import { randomUUID } from 'node:crypto';
import { createUser, createWorkspace, FACTORY_PASSWORD } from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../context';
import { createTestApi } from '../../testing/harness';
import { appCodeOf, errorShapeOf, rejection } from '../../testing/rejection';

const api = await createTestApi();
afterAll(() => api.close());

const uniqueEmail = () => `person-${randomUUID().slice(0, 8)}@example.test`;
const PASSWORD = 'a long enough passphrase';

/** The token a Set-Cookie header carries, after checking the attributes every session cookie needs. */
function sessionTokenFrom(resHeaders: Headers): string {
  const [cookie] = resHeaders.getSetCookie();
  expect(cookie).toBeDefined();
  expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Lax');
  expect(cookie).toContain('Path=/');
  return decodeURIComponent(cookie!.split(';')[0]!.split('=')[1]!);
}

describe('auth.signUp', () => {
  it('given a workspace open to sign-up, when someone signs up, then they are a signed-in client with an HttpOnly cookie', async () => {
    const workspace = await createWorkspace(api.db, { allowSignUp: true });
    const email = uniqueEmail();
    const { caller, resHeaders } = api.withResponse();

    const result = await caller.auth.signUp({
      workspaceSlug: workspace.slug,
      email: email.toUpperCase(),
      password: PASSWORD,
      name: 'New Person',
    });

    expect(result.user).toMatchObject({ email, role: 'client', workspaceId: workspace.id, isActive: true });
    expect(result.user).not.toHaveProperty('passwordHash');
    expect(result.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(sessionTokenFrom(resHeaders)).toBe(result.token);
    const me = await api.as(undefined, { cookie: `${SESSION_COOKIE}=${result.token}` }).auth.me();
    expect(me?.id).toBe(result.user.id);
  });

  it('given a workspace closed to sign-up or an unknown slug, when someone signs up, then both answer SIGN_UP_DISABLED and nothing is written', async () => {
    const closed = await createWorkspace(api.db, { allowSignUp: false });
    const email = uniqueEmail();
    const attempt = (workspaceSlug: string) =>
      rejection(api.as().auth.signUp({ workspaceSlug, email, password: PASSWORD, name: 'Someone' }));

    const closedError = await attempt(closed.slug);
    const unknownError = await attempt(`missing-${randomUUID().slice(0, 8)}`);

    for (const error of [closedError, unknownError]) {
      expect(error.code).toBe('FORBIDDEN');
      expect(appCodeOf(error)).toBe('SIGN_UP_DISABLED');
    }
    expect(unknownError.message).toBe(closedError.message);
    const rows = await api.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(rows).toEqual([]);
  });

  it('given an e-mail already taken in any case, when someone signs up with it, then EMAIL_TAKEN (CONFLICT) and nothing is written', async () => {
    const workspace = await createWorkspace(api.db);
    const existing = await createUser(api.db, { role: 'client', workspaceId: workspace.id });
    const usersBefore = await api.db.selectFrom('users').select('id').execute();

    const error = await rejection(
      api.as().auth.signUp({
        workspaceSlug: workspace.slug,
        email: existing.user.email.toUpperCase(),
        password: PASSWORD,
        name: 'Copycat',
      }),
    );

    expect(error.code).toBe('CONFLICT');
    expect(appCodeOf(error)).toBe('EMAIL_TAKEN');
    const usersAfter = await api.db.selectFrom('users').select('id').execute();
    expect(usersAfter.length).toBe(usersBefore.length);
  });

  it('given a too-short password or a bad e-mail, when someone signs up, then BAD_REQUEST names the field', async () => {
    const workspace = await createWorkspace(api.db);
    const error = await rejection(
      api
        .as()
        .auth.signUp({ workspaceSlug: workspace.slug, email: 'not-an-email', password: 'short', name: 'X' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/email/);
    expect(error.message).toMatch(/password/);
  });
});

describe('input with a NUL character', () => {
  it('given an e-mail with a NUL character, when signing in, then BAD_REQUEST names the field (PostgreSQL cannot store NUL)', async () => {
    const error = errorShapeOf(
      await rejection(api.as().auth.signIn({ email: 'ada\u0000@example.test', password: FACTORY_PASSWORD })),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data.appCode).toBe('VALIDATION_FAILED');
    expect(error.data.issues).toEqual([{ path: 'email', message: expect.stringMatching(/^email: /) }]);
  });
});

describe('auth.signIn', () => {
  it('given the right password, when a user signs in, then the cookie and the bearer token both work', async () => {
    const workspace = await createWorkspace(api.db);
    const { user } = await createUser(api.db, { role: 'support', workspaceId: workspace.id });
    const { caller, resHeaders } = api.withResponse();

    const result = await caller.auth.signIn({
      email: `  ${user.email.toUpperCase()} `,
      password: FACTORY_PASSWORD,
    });

    expect(result.user).toMatchObject({ id: user.id, role: 'support' });
    const cookieToken = sessionTokenFrom(resHeaders);
    expect(cookieToken).toBe(result.token);
    expect((await api.as(result.token).auth.me())?.id).toBe(user.id);
    expect((await api.as(undefined, { cookie: `${SESSION_COOKIE}=${cookieToken}` }).auth.me())?.id).toBe(
      user.id,
    );
  });

  it('stores only a hash of the session secret, never the token', async () => {
    const workspace = await createWorkspace(api.db);
    const { user } = await createUser(api.db, { role: 'client', workspaceId: workspace.id });
    const { token } = await api.as().auth.signIn({ email: user.email, password: FACTORY_PASSWORD });
    const [sessionId, secret] = token.split('.');

    const row = await api.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', sessionId!)
      .executeTakeFirstOrThrow();

    expect(row.userId).toBe(user.id);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(Buffer.from(row.secretHash).toString('utf8')).not.toContain(secret);
    expect(row.secretHash.byteLength).toBe(32);
  });

  it('given an unknown e-mail, a wrong password or a deactivated account, when signing in, then all three answer the same INVALID_CREDENTIALS', async () => {
    const workspace = await createWorkspace(api.db);
    const { user } = await createUser(api.db, { role: 'client', workspaceId: workspace.id });
    const inactive = await createUser(api.db, { role: 'client', workspaceId: workspace.id, isActive: false });

    const errors = await Promise.all([
      rejection(api.as().auth.signIn({ email: uniqueEmail(), password: FACTORY_PASSWORD })),
      rejection(api.as().auth.signIn({ email: user.email, password: 'wrong password entirely' })),
      rejection(api.as().auth.signIn({ email: inactive.user.email, password: FACTORY_PASSWORD })),
    ]);

    for (const error of errors) {
      expect(error.code).toBe('UNAUTHORIZED');
      expect(appCodeOf(error)).toBe('INVALID_CREDENTIALS');
      expect(error.message).toBe(errors[0]!.message);
    }
  });
});

describe('auth.signOut and auth.me', () => {
  it('given an anonymous caller, when asking who they are, then the answer is null', async () => {
    expect(await api.as().auth.me()).toBeNull();
  });

  it('given a signed-in user, when they sign out, then the cookie is cleared, the session row is gone and the token is refused', async () => {
    const workspace = await createWorkspace(api.db);
    const { user } = await createUser(api.db, { role: 'writer', workspaceId: workspace.id });
    const { token } = await api.as().auth.signIn({ email: user.email, password: FACTORY_PASSWORD });
    const other = await api.as().auth.signIn({ email: user.email, password: FACTORY_PASSWORD });
    const { caller, resHeaders } = api.withResponse(token);

    await caller.auth.signOut();

    const [cleared] = resHeaders.getSetCookie();
    expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect(cleared).toContain('Max-Age=0');
    expect(await api.as(token).auth.me()).toBeNull();
    const error = await rejection(api.as(token).auth.signOut());
    expect(error.code).toBe('UNAUTHORIZED');
    // Only the current session ends: the user's other device stays signed in.
    expect((await api.as(other.token).auth.me())?.id).toBe(user.id);
  });

  it('given an anonymous caller, when signing out, then UNAUTHORIZED', async () => {
    const error = await rejection(api.as().auth.signOut());
    expect(error.code).toBe('UNAUTHORIZED');
  });
});
