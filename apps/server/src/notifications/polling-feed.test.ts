import { createNotificationHub, createNotifications } from '@tickets/core';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import type { NotificationRow } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { startPollingFeed } from './polling-feed';

// The embedded (PGlite) mode's feed. Its logic does not depend on the engine, so the test runs it on the
// test PostgreSQL rather than paying PGlite's start-up.
const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

describe('polling feed', () => {
  it('given an open stream, when notifications commit, then the feed hands them to the hub', async () => {
    const hub = createNotificationHub({ db });
    const feed = startPollingFeed({ db, sink: hub, logger: createLogger('silent'), intervalMs: 50 });
    const { workspace, client, admin } = await createWorkspaceWithCast(db);
    const ticket = await createTicket(db, { workspaceId: workspace.id, createdBy: client.user.id });
    const rows: NotificationRow[] = [];
    const controller = new AbortController();
    const done = (async () => {
      for await (const row of hub.subscribe(client.user.id, {
        afterSeq: null,
        includeInternal: true,
        signal: controller.signal,
      })) {
        rows.push(row);
      }
    })();
    try {
      await expect.poll(() => hub.size).toBe(1);
      const ids = await createNotifications(db, {
        workspaceId: workspace.id,
        type: 'ticket.closed',
        ticketId: ticket.id,
        actorId: admin.user.id,
        recipientIds: [client.user.id],
        data: {},
      });

      await expect.poll(() => rows.map((row) => row.id)).toEqual(ids);
    } finally {
      controller.abort();
      await done;
      hub.close();
      await feed.close();
    }
  });
});
