import { randomUUID } from 'node:crypto';
import { createNotificationHub, createNotifications, inTransaction, NOTIFY_CHANNEL } from '@tickets/core';
import { collectStream, givenNotifiableTicket } from '@tickets/core/testing';
import { openTestDatabase, testDatabaseUrl } from '@tickets/db/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { startNotificationListener } from './listener';

const database = await openTestDatabase();
const db = database.db;
const silent = createLogger('silent');
/** Plain SQL outside the schema (pg_stat_activity, NOTIFY by hand). */
const admin = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
afterAll(async () => {
  await admin.end();
  await database.close();
});

describe('NOTIFY per action', () => {
  it('given an action notifying several users, then Postgres carries one NOTIFY with all the ids, after commit', async () => {
    const listener = new pg.Client({ connectionString: testDatabaseUrl() });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (message) => payloads.push(message.payload ?? ''));
    await listener.query(`listen ${NOTIFY_CHANNEL}`);
    try {
      const { client, support, writer, notify } = await givenNotifiableTicket(db);
      const ids = await notify([client.user.id, support.user.id, writer.user.id]);

      await expect.poll(() => payloads.filter((p) => ids.some((id) => p.includes(id)))).toHaveLength(1);
      const mine = payloads.find((p) => p.includes(ids[0]!));
      expect(JSON.parse(mine!)).toEqual({ ids });
    } finally {
      await listener.end();
    }
  });

  it('given a burst of actions committing together, then each one is announced, and only once its rows are readable', async () => {
    const listener = new pg.Client({ connectionString: testDatabaseUrl() });
    await listener.connect();
    const readableOnArrival: boolean[] = [];
    const announced: string[] = [];
    listener.on('notification', async (message) => {
      const ids: string[] = JSON.parse(message.payload ?? '{}').ids ?? [];
      announced.push(...ids);
      const { rows } = await admin.query('select count(*)::int as n from notifications where id = any($1)', [
        ids,
      ]);
      readableOnArrival.push(rows[0].n === ids.length);
    });
    await listener.query(`listen ${NOTIFY_CHANNEL}`);
    try {
      const { client, workspace, ticket } = await givenNotifiableTicket(db);

      // Each in a transaction that goes on after notifying: the NOTIFY must wait for its commit.
      const written = await Promise.all(
        Array.from({ length: 30 }, () =>
          inTransaction(db, async (tx) => {
            const ids = await createNotifications(tx, {
              workspaceId: workspace.id,
              type: 'message.created',
              ticketId: ticket.id,
              actorId: null,
              recipientIds: [client.user.id],
              data: {},
            });
            await tx.selectFrom('tickets').select('id').where('id', '=', ticket.id).execute();
            return ids;
          }),
        ),
      );

      await expect.poll(() => announced.length).toBe(30);
      expect(new Set(announced)).toEqual(new Set(written.flat()));
      await expect.poll(() => readableOnArrival.length).toBe(30);
      expect(readableOnArrival.every(Boolean)).toBe(true);
    } finally {
      await listener.end();
    }
  });

  it('given the action rolls back, then no NOTIFY goes out', async () => {
    const listener = new pg.Client({ connectionString: testDatabaseUrl() });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (message) => payloads.push(message.payload ?? ''));
    await listener.query(`listen ${NOTIFY_CHANNEL}`);
    try {
      const { workspace, ticket, client, admin, notify } = await givenNotifiableTicket(db);
      let written: string[] = [];
      await inTransaction(db, async (tx) => {
        written = await createNotifications(tx, {
          workspaceId: workspace.id,
          type: 'ticket.closed',
          ticketId: ticket.id,
          actorId: admin.user.id,
          recipientIds: [client.user.id],
          data: {},
        });
        throw new Error('rolled back');
      }).catch(() => {});
      // A later committed action's NOTIFY arriving proves the earlier one would have arrived by now.
      const [later] = await notify([client.user.id]);
      await expect.poll(() => payloads.some((p) => p.includes(later!))).toBe(true);

      expect(payloads.some((p) => p.includes(written[0]!))).toBe(false);
    } finally {
      await listener.end();
    }
  });
});

describe('notification listener', () => {
  it('given an open stream, when a notification commits, then the hub delivers it live', async () => {
    const hub = createNotificationHub({ db });
    const feed = startNotificationListener({ url: testDatabaseUrl(), sink: hub, logger: silent });
    const { client, notify } = await givenNotifiableTicket(db);
    const stream = collectStream(hub, client.user.id);
    try {
      await expect.poll(() => hub.size).toBe(1);
      const [id] = await notify([client.user.id]);
      await expect.poll(stream.ids).toEqual([id]);
    } finally {
      await stream.stop();
      hub.close();
      await feed.close();
    }
  });

  it('given the LISTEN connection is killed, then it reconnects and nothing committed meanwhile is lost or doubled', async () => {
    const applicationName = `listener-test-${randomUUID().slice(0, 8)}`;
    const hub = createNotificationHub({ db });
    const feed = startNotificationListener({
      url: testDatabaseUrl(),
      sink: hub,
      logger: silent,
      applicationName,
      backoffMs: [200, 1_000],
    });
    const { client, notify } = await givenNotifiableTicket(db);
    const stream = collectStream(hub, client.user.id);
    const listenerBackends = async () =>
      (
        await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [
          applicationName,
        ])
      ).rows;
    try {
      await expect.poll(() => hub.size).toBe(1);
      await expect.poll(async () => (await listenerBackends()).length).toBe(1);
      const [before] = await notify([client.user.id]);
      await expect.poll(stream.ids).toEqual([before]);

      const [backend] = await listenerBackends();
      await admin.query('select pg_terminate_backend($1)', [backend?.pid]);
      await expect
        .poll(async () => (await listenerBackends()).some((row) => row.pid === backend?.pid))
        .toBe(false);
      // Committed while nobody listens: its NOTIFY is lost, the row is not.
      const [during] = await notify([client.user.id]);

      await expect.poll(stream.ids, { timeout: 5_000 }).toEqual([before, during]);
      await expect.poll(async () => (await listenerBackends()).length).toBe(1);
      const [after] = await notify([client.user.id]);
      await expect.poll(stream.ids).toEqual([before, during, after]);
    } finally {
      await stream.stop();
      hub.close();
      await feed.close();
    }
  });

  it('given the hub closes, then open streams end with SHUTTING_DOWN so clients reconnect elsewhere', async () => {
    const hub = createNotificationHub({ db });
    const { client } = await givenNotifiableTicket(db);
    const iterator = hub
      .subscribe(client.user.id, { afterSeq: null, includeInternal: true })
      [Symbol.asyncIterator]();
    const next = iterator.next();
    await expect.poll(() => hub.size).toBe(1);

    hub.close();

    await expect(next).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(hub.size).toBe(0);
  });
});
