import { createTicket, createUser, createWorkspace } from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../testing/harness';

const api = await createTestApi();
afterAll(() => api.close());

describe('lists that need no id', () => {
  it('given no input at all, when an admin calls each list, then the first page comes back with the defaults', async () => {
    const workspace = await createWorkspace(api.db);
    const admin = await createUser(api.db, { role: 'admin', workspaceId: workspace.id });
    await createTicket(api.db, { workspaceId: workspace.id, createdBy: admin.user.id });
    const caller = api.as(admin.token);
    const pages = await Promise.all([
      caller.tickets.list(),
      caller.logs.list(),
      caller.users.list(),
      caller.workspaces.list(),
      caller.notifications.list(),
    ]);
    for (const page of pages) {
      expect(page).toHaveProperty('items');
      expect(page).toHaveProperty('nextCursor');
    }
    const [tickets, , users, workspaces] = pages;
    expect(tickets.items).toHaveLength(1);
    expect(users.items.map((user) => user.id)).toContain(admin.user.id);
    expect(workspaces.items.map((item) => item.id)).toEqual([workspace.id]);
  });

  it('given no input, when a list is read, then it pages 25 at a time (the default limit)', async () => {
    const workspace = await createWorkspace(api.db);
    const admin = await createUser(api.db, { role: 'admin', workspaceId: workspace.id });
    for (let index = 0; index < 26; index += 1) {
      await createTicket(api.db, { workspaceId: workspace.id, createdBy: admin.user.id });
    }
    const page = await api.as(admin.token).tickets.list();
    expect(page.items).toHaveLength(25);
    expect(page.nextCursor).not.toBeNull();
  });
});
