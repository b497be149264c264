import { randomUUID } from 'node:crypto';
import {
  createUser,
  createWorkspace,
  createWorkspaceWithCast,
  FACTORY_PASSWORD,
} from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { appCodeOf, rejection } from '../../testing/rejection';

const api = await createTestApi();
afterAll(() => api.close());

const uniqueEmail = () => `user-${randomUUID().slice(0, 8)}@example.test`;
const PASSWORD = 'a long enough passphrase';

const userRow = (id: string) =>
  api.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const sessionCount = async (userId: string) =>
  (await api.db.selectFrom('sessions').select('id').where('userId', '=', userId).execute()).length;

describe('users.create', () => {
  it('given an admin, when they create a support agent, then the agent lives in the admin’s workspace and can sign in', async () => {
    const { workspace, admin } = await createWorkspaceWithCast(api.db);
    const email = uniqueEmail();

    const created = await api
      .as(admin.token)
      .users.create({ email, password: PASSWORD, name: 'Agent', role: 'support' });

    expect(created).toMatchObject({ email, role: 'support', workspaceId: workspace.id, isActive: true });
    expect(created).not.toHaveProperty('passwordHash');
    const row = await userRow(created.id);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    const signedIn = await api.as().auth.signIn({ email, password: PASSWORD });
    expect(signedIn.user.id).toBe(created.id);
  });

  it.each(['admin', 'superadmin'] as const)(
    'given an admin, when they try to create a %s, then FORBIDDEN and nothing is written',
    async (role) => {
      const { admin } = await createWorkspaceWithCast(api.db);
      const email = uniqueEmail();

      const error = await rejection(
        api.as(admin.token).users.create({ email, password: PASSWORD, name: 'Boss', role }),
      );

      expect(error.code).toBe('FORBIDDEN');
      expect(await api.db.selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);
    },
  );

  it('given an admin naming another workspace, when they create a user, then WORKSPACE_NOT_FOUND', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    const other = await createWorkspace(api.db);
    const error = await rejection(
      api.as(admin.token).users.create({
        workspaceId: other.id,
        email: uniqueEmail(),
        password: PASSWORD,
        name: 'Intruder',
        role: 'client',
      }),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(appCodeOf(error)).toBe('WORKSPACE_NOT_FOUND');
  });

  it('given a superadmin, when they create an admin in a workspace and another superadmin, then both exist', async () => {
    const { superadmin } = await createWorkspaceWithCast(api.db);
    const target = await createWorkspace(api.db);

    const admin = await api.as(superadmin.token).users.create({
      workspaceId: target.id,
      email: uniqueEmail(),
      password: PASSWORD,
      name: 'Admin',
      role: 'admin',
    });
    const peer = await api
      .as(superadmin.token)
      .users.create({ email: uniqueEmail(), password: PASSWORD, name: 'Peer', role: 'superadmin' });

    expect(admin).toMatchObject({ role: 'admin', workspaceId: target.id });
    expect(peer).toMatchObject({ role: 'superadmin', workspaceId: null });
  });

  it('given a superadmin who names no workspace for a workspace role, when they create the user, then WORKSPACE_REQUIRED', async () => {
    const { superadmin } = await createWorkspaceWithCast(api.db);
    const error = await rejection(
      api
        .as(superadmin.token)
        .users.create({ email: uniqueEmail(), password: PASSWORD, name: 'Lost', role: 'client' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(appCodeOf(error)).toBe('WORKSPACE_REQUIRED');
  });

  it('given an e-mail already used in another workspace, when an admin reuses it in any case, then EMAIL_TAKEN (CONFLICT) and nothing is written', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    const elsewhere = await createWorkspace(api.db);
    const existing = await createUser(api.db, { role: 'client', workspaceId: elsewhere.id });
    const before = await api.db.selectFrom('users').select('id').execute();

    const error = await rejection(
      api.as(admin.token).users.create({
        email: existing.user.email.toUpperCase(),
        password: PASSWORD,
        name: 'Twin',
        role: 'client',
      }),
    );

    expect(error.code).toBe('CONFLICT');
    expect(appCodeOf(error)).toBe('EMAIL_TAKEN');
    expect((await api.db.selectFrom('users').select('id').execute()).length).toBe(before.length);
  });
});

describe('users.* for requesters and support', () => {
  it.each(['writer', 'client'] as const)(
    'given a %s, when they call any users procedure, then FORBIDDEN',
    async (role) => {
      const cast = await createWorkspaceWithCast(api.db);
      const caller = api.as(cast[role].token);
      const calls = [
        () => caller.users.list({}),
        () => caller.users.create({ email: uniqueEmail(), password: PASSWORD, name: 'X', role: 'client' }),
        () => caller.users.update({ id: cast[role].user.id, name: 'Renamed' }),
      ];
      for (const call of calls) expect((await rejection(call())).code).toBe('FORBIDDEN');
      expect((await userRow(cast[role].user.id)).name).not.toBe('Renamed');
    },
  );

  it('given a support agent, when they list users they may, but creating or updating is FORBIDDEN', async () => {
    const cast = await createWorkspaceWithCast(api.db);
    const caller = api.as(cast.support.token);
    expect((await caller.users.list({})).items.length).toBe(4);
    expect((await rejection(caller.users.update({ id: cast.client.user.id, name: 'Renamed' }))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (
        await rejection(
          caller.users.create({ email: uniqueEmail(), password: PASSWORD, name: 'X', role: 'client' }),
        )
      ).code,
    ).toBe('FORBIDDEN');
  });
});

describe('users.list', () => {
  it('given filters and a small limit, when staff walk the list, then every matching user of the workspace comes once, newest first', async () => {
    const { workspace, admin, client } = await createWorkspaceWithCast(api.db);
    const clients = [client];
    for (let i = 0; i < 4; i += 1)
      clients.push(await createUser(api.db, { role: 'client', workspaceId: workspace.id }));
    await createUser(api.db, { role: 'client', workspaceId: workspace.id, isActive: false });
    await createUser(api.db, { role: 'client', workspaceId: (await createWorkspace(api.db)).id });

    const seen: Array<{ id: string; createdAt: Date }> = [];
    let cursor: string | undefined;
    do {
      const page = await api.as(admin.token).users.list({ role: 'client', isActive: true, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(seen.map((item) => item.id).sort()).toEqual(clients.map((c) => c.user.id).sort());
    const times = seen.map((item) => item.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('given a superadmin, when they name a workspace, then only its users come back', async () => {
    const { workspace, superadmin } = await createWorkspaceWithCast(api.db);
    const page = await api.as(superadmin.token).users.list({ workspaceId: workspace.id });
    expect(page.items.length).toBe(4);
    expect(page.items.every((item) => item.workspaceId === workspace.id)).toBe(true);
  });

  it('given a tampered cursor, when listing, then INVALID_CURSOR', async () => {
    const { admin } = await createWorkspaceWithCast(api.db);
    const error = await rejection(api.as(admin.token).users.list({ cursor: 'not-a-cursor' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(appCodeOf(error)).toBe('INVALID_CURSOR');
  });
});

describe('users.update', () => {
  it('given an admin of workspace A, when they look at or update a user of workspace B, then USER_NOT_FOUND and nothing changes', async () => {
    const a = await createWorkspaceWithCast(api.db);
    const b = await createWorkspaceWithCast(api.db);

    const listed = await api.as(a.admin.token).users.list({ limit: 100 });
    const error = await rejection(
      api.as(a.admin.token).users.update({ id: b.client.user.id, name: 'Hijacked' }),
    );
    const missing = await rejection(api.as(a.admin.token).users.update({ id: randomUUID(), name: 'Ghost' }));

    expect(listed.items.map((item) => item.id)).not.toContain(b.client.user.id);
    expect(error.code).toBe('NOT_FOUND');
    expect(appCodeOf(error)).toBe('USER_NOT_FOUND');
    expect(error.message).toBe(missing.message);
    expect((await userRow(b.client.user.id)).name).toBe(b.client.user.name);
  });

  it('given a client with a live session, when an admin changes their role, then the old token is refused', async () => {
    const { admin, client } = await createWorkspaceWithCast(api.db);
    expect((await api.as(client.token).auth.me())?.id).toBe(client.user.id);

    const updated = await api.as(admin.token).users.update({ id: client.user.id, role: 'writer' });

    expect(updated.role).toBe('writer');
    expect(await sessionCount(client.user.id)).toBe(0);
    expect((await rejection(api.as(client.token).auth.signOut())).code).toBe('UNAUTHORIZED');
    expect(await api.as(client.token).auth.me()).toBeNull();
  });

  it('given a support agent with a live session, when an admin deactivates them, then their token is refused and they cannot sign in', async () => {
    const { admin, support } = await createWorkspaceWithCast(api.db);

    const updated = await api.as(admin.token).users.update({ id: support.user.id, isActive: false });

    expect(updated.isActive).toBe(false);
    expect((await rejection(api.as(support.token).auth.signOut())).code).toBe('UNAUTHORIZED');
    const signIn = await rejection(
      api.as().auth.signIn({ email: support.user.email, password: FACTORY_PASSWORD }),
    );
    expect(appCodeOf(signIn)).toBe('INVALID_CREDENTIALS');
  });

  it('given an admin, when they set a user’s password, then old sessions end and only the new password works', async () => {
    const { admin, writer } = await createWorkspaceWithCast(api.db);
    const newPassword = 'a brand new passphrase';

    await api.as(admin.token).users.update({ id: writer.user.id, password: newPassword });

    expect(await sessionCount(writer.user.id)).toBe(0);
    await rejection(api.as().auth.signIn({ email: writer.user.email, password: FACTORY_PASSWORD }));
    expect((await api.as().auth.signIn({ email: writer.user.email, password: newPassword })).user.id).toBe(
      writer.user.id,
    );
  });

  it('given an admin, when they only rename a user, then the user stays signed in', async () => {
    const { admin, client } = await createWorkspaceWithCast(api.db);
    const updated = await api.as(admin.token).users.update({ id: client.user.id, name: 'New Name' });
    expect(updated.name).toBe('New Name');
    expect((await api.as(client.token).auth.me())?.name).toBe('New Name');
  });

  it('given an admin, when they touch another admin or grant admin, then FORBIDDEN and nothing changes', async () => {
    const { workspace, admin, support } = await createWorkspaceWithCast(api.db);
    const otherAdmin = await createUser(api.db, { role: 'admin', workspaceId: workspace.id });

    const touch = await rejection(
      api.as(admin.token).users.update({ id: otherAdmin.user.id, name: 'Renamed' }),
    );
    const grant = await rejection(api.as(admin.token).users.update({ id: support.user.id, role: 'admin' }));

    expect(touch.code).toBe('FORBIDDEN');
    expect(grant.code).toBe('FORBIDDEN');
    expect((await userRow(otherAdmin.user.id)).name).toBe(otherAdmin.user.name);
    expect((await userRow(support.user.id)).role).toBe('support');
    expect(await sessionCount(support.user.id)).toBe(1);
  });

  it.each(['admin', 'superadmin'] as const)(
    'given a %s, when they try to deactivate or demote themselves, then FORBIDDEN, but renaming themselves works',
    async (role) => {
      const cast = await createWorkspaceWithCast(api.db);
      const self = cast[role];
      const caller = api.as(self.token);

      expect((await rejection(caller.users.update({ id: self.user.id, isActive: false }))).code).toBe(
        'FORBIDDEN',
      );
      expect((await rejection(caller.users.update({ id: self.user.id, role: 'support' }))).code).toBe(
        'FORBIDDEN',
      );
      expect((await userRow(self.user.id)).isActive).toBe(true);

      expect((await caller.users.update({ id: self.user.id, name: 'Myself' })).name).toBe('Myself');
    },
  );

  it('given a superadmin, when they promote a support agent of any workspace to admin, then it works and ends the agent’s sessions', async () => {
    const { superadmin, support } = await createWorkspaceWithCast(api.db);
    const updated = await api.as(superadmin.token).users.update({ id: support.user.id, role: 'admin' });
    expect(updated.role).toBe('admin');
    expect(await sessionCount(support.user.id)).toBe(0);
  });

  it('given a superadmin, when they try to turn a workspace user into a superadmin, then BAD_REQUEST and nothing changes', async () => {
    const { superadmin, admin } = await createWorkspaceWithCast(api.db);
    const error = await rejection(
      api.as(superadmin.token).users.update({ id: admin.user.id, role: 'superadmin' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect((await userRow(admin.user.id)).role).toBe('admin');
  });
});
