import { randomUUID } from 'node:crypto';
import { createUser, createWorkspace, createWorkspaceWithCast } from '@tickets/core/testing';
import type { TRPCError } from '@trpc/server';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { appCodeOf, rejection } from '../../testing/rejection';

const api = await createTestApi();
afterAll(() => api.close());

const uniqueSlug = () => `ws-${randomUUID().slice(0, 8)}`;

describe('workspaces.create', () => {
  it('given a superadmin, when they create a workspace, then it exists with sign-up as asked', async () => {
    const superadmin = await createUser(api.db, { role: 'superadmin', workspaceId: null });
    const slug = uniqueSlug();

    const created = await api
      .as(superadmin.token)
      .workspaces.create({ name: 'Acme', slug, allowSignUp: false });

    expect(created).toMatchObject({ name: 'Acme', slug, allowSignUp: false });
    const signUp = await rejection(
      api.as().auth.signUp({
        workspaceSlug: slug,
        email: `x-${slug}@example.test`,
        password: 'long enough pw',
        name: 'X',
      }),
    );
    expect(appCodeOf(signUp)).toBe('SIGN_UP_DISABLED');
  });

  it('given a slug already used, when a superadmin creates another workspace with it, then WORKSPACE_SLUG_TAKEN (CONFLICT)', async () => {
    const superadmin = await createUser(api.db, { role: 'superadmin', workspaceId: null });
    const existing = await createWorkspace(api.db);

    const error = await rejection(
      api.as(superadmin.token).workspaces.create({ name: 'Copy', slug: existing.slug }),
    );

    expect(error.code).toBe('CONFLICT');
    expect(appCodeOf(error)).toBe('WORKSPACE_SLUG_TAKEN');
  });

  it('given two creates racing for one slug, when both run at once, then exactly one wins and the other gets WORKSPACE_SLUG_TAKEN', async () => {
    const superadmin = await createUser(api.db, { role: 'superadmin', workspaceId: null });
    const slug = uniqueSlug();

    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => api.as(superadmin.token).workspaces.create({ name: 'Race', slug })),
    );

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected')
        expect(appCodeOf(result.reason as TRPCError)).toBe('WORKSPACE_SLUG_TAKEN');
    }
  });

  it.each(['admin', 'support', 'client'] as const)(
    'given a %s, when they create a workspace, then FORBIDDEN',
    async (role) => {
      const cast = await createWorkspaceWithCast(api.db);
      const slug = uniqueSlug();
      const error = await rejection(api.as(cast[role].token).workspaces.create({ name: 'Nope', slug }));
      expect(error.code).toBe('FORBIDDEN');
      expect(await api.db.selectFrom('workspaces').select('id').where('slug', '=', slug).execute()).toEqual(
        [],
      );
    },
  );
});

describe('workspaces.list', () => {
  it('given a superadmin, when they walk the list by pages, then every workspace comes once, in slug order', async () => {
    const superadmin = await createUser(api.db, { role: 'superadmin', workspaceId: null });
    await Promise.all(Array.from({ length: 3 }, () => createWorkspace(api.db)));
    const all = await api.db.selectFrom('workspaces').select('slug').orderBy('slug').execute();

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.as(superadmin.token).workspaces.list({ limit: 2, cursor });
      seen.push(...page.items.map((item) => item.slug));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    // Other tests add workspaces meanwhile; everything that existed before the walk must be in it, in order.
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(all.map((row) => row.slug)));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it.each(['admin', 'support', 'writer', 'client'] as const)(
    'given a %s, when they list workspaces, then they get just their own, in the same page shape',
    async (role) => {
      const cast = await createWorkspaceWithCast(api.db);
      const page = await api.as(cast[role].token).workspaces.list({});
      expect(page).toEqual({ items: [expect.objectContaining({ id: cast.workspace.id })], nextCursor: null });
    },
  );
});
