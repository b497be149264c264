import type { NotificationRow } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTicket, createWorkspaceWithCast } from '../testing/factories';
import { createNotifications } from './create-notifications';
import { createNotificationHub, type NotificationHub } from './notification-hub';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

async function givenTicket() {
  const cast = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, { workspaceId: cast.workspace.id, createdBy: cast.client.user.id });
  const notify = (recipientIds: string[]) =>
    createNotifications(db, {
      workspaceId: cast.workspace.id,
      type: 'message.created',
      ticketId: ticket.id,
      actorId: cast.admin.user.id,
      recipientIds,
      data: {},
    });
  return { ...cast, notify };
}

function collect(hub: NotificationHub, userId: string, afterSeq: number | null = null) {
  const rows: NotificationRow[] = [];
  const controller = new AbortController();
  const done = (async () => {
    for await (const row of hub.subscribe(userId, {
      afterSeq,
      includeInternal: true,
      signal: controller.signal,
    }))
      rows.push(row);
  })();
  return {
    ids: () => rows.map((row) => row.id),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

const seqOf = async (id: string) =>
  (await db.selectFrom('notifications').select('seq').where('id', '=', id).executeTakeFirstOrThrow()).seq;

describe('notification hub', () => {
  it('given NOTIFYs were missed, when the feed asks for a resync, then the stream re-reads them once', async () => {
    const hub = createNotificationHub({ db });
    const { client, notify } = await givenTicket();
    const stream = collect(hub, client.user.id);
    await expect.poll(() => hub.size).toBe(1);
    const [heard] = await notify([client.user.id]);
    await hub.ingest({ ids: [heard!] });
    await expect.poll(stream.ids).toEqual([heard]);

    const missed = [...(await notify([client.user.id])), ...(await notify([client.user.id]))];
    hub.resync();
    await expect.poll(stream.ids).toEqual([heard, ...missed]);

    // The late NOTIFYs of rows already re-read change nothing.
    await hub.ingest({ ids: missed });
    hub.resync();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stream.ids()).toEqual([heard, ...missed]);
    await stream.stop();
    hub.close();
  });

  it('given a consumer far behind, then its live queue is dropped and it catches up from the database in order', async () => {
    const hub = createNotificationHub({ db, maxQueued: 2, pageSize: 2 });
    const { client, notify } = await givenTicket();
    const [start] = await notify([client.user.id]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(...(await notify([client.user.id])));
    const iterator = hub
      .subscribe(client.user.id, { afterSeq: await seqOf(start!), includeInternal: true })
      [Symbol.asyncIterator]();

    const first = await iterator.next();
    for (const id of ids) await hub.ingest({ ids: [id] });
    const rest: string[] = [];
    for (let i = 1; i < ids.length; i += 1) rest.push(((await iterator.next()).value as NotificationRow).id);
    await iterator.return?.();

    expect([(first.value as NotificationRow).id, ...rest]).toEqual(ids);
    hub.close();
  });

  it('given a payload naming a range of sequence numbers, then only the subscriber’s rows in it are delivered', async () => {
    const hub = createNotificationHub({ db });
    const { client, support, notify } = await givenTicket();
    const stream = collect(hub, client.user.id);
    await expect.poll(() => hub.size).toBe(1);
    const [theirs, mine] = [...(await notify([support.user.id])), ...(await notify([client.user.id]))];

    await hub.ingest({ seqRange: [await seqOf(theirs!), await seqOf(mine!)] });

    await expect.poll(stream.ids).toEqual([mine]);
    await stream.stop();
    hub.close();
  });
  it('given NOTIFYs arriving while a delivery query runs, then the next query reads them all at once and every row arrives once, in order', async () => {
    let queries = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries += 1;
        return args.result;
      },
    });
    const hub = createNotificationHub({ db: counted });
    const { client, notify } = await givenTicket();
    const stream = collect(hub, client.user.id);
    await expect.poll(() => hub.size).toBe(1);
    const ids: string[] = [];
    for (let index = 0; index < 40; index += 1) ids.push(...(await notify([client.user.id])));
    queries = 0;

    // A burst: forty NOTIFYs land before the first delivery query has answered.
    await Promise.all(ids.map((id) => hub.ingest({ ids: [id] })));

    await expect.poll(stream.ids).toEqual(ids);
    expect(queries).toBe(2);
    await stream.stop();
    hub.close();
  });

  it('given internal news written while the recipient was staff, when they stream as a requester, then it comes neither from catch-up nor live', async () => {
    const hub = createNotificationHub({ db });
    const { support, ticket, admin } = await givenTicketWithInternalNews();
    const internalNews = () =>
      createNotifications(db, {
        workspaceId: support.user.workspaceId as string,
        type: 'message.created',
        ticketId: ticket.id,
        actorId: admin.user.id,
        recipientIds: [support.user.id],
        internal: true,
        data: { internal: true },
      });
    const [before] = await internalNews();
    await internalNews();
    // Demoted since: the stream is opened with the role they have now.
    const rows: NotificationRow[] = [];
    const controller = new AbortController();
    const done = (async () => {
      const stream = hub.subscribe(support.user.id, {
        afterSeq: await seqOf(before!),
        includeInternal: false,
        signal: controller.signal,
      });
      for await (const row of stream) rows.push(row);
    })();
    await expect.poll(() => hub.size).toBe(1);
    const [live] = await internalNews();
    await hub.ingest({ ids: [live!] });
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(rows).toEqual([]);
    controller.abort();
    await done;
    hub.close();
  });
});

async function givenTicketWithInternalNews() {
  const cast = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
    assignedTo: cast.support.user.id,
  });
  return { ...cast, ticket };
}
