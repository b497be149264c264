import type { NotificationRow } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTicket, createWorkspaceWithCast } from '../testing/factories';
import { collectStream, givenNotifiableTicket } from '../testing/notifications';
import { createNotifications } from './create-notifications';
import { createNotificationHub } from './notification-hub';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const seqOf = async (id: string) =>
  (await db.selectFrom('notifications').select('seq').where('id', '=', id).executeTakeFirstOrThrow()).seq;

describe('notification hub', () => {
  it('given NOTIFYs were missed, when the feed asks for a resync, then the stream re-reads them once', async () => {
    const hub = createNotificationHub({ db });
    const { client, notify } = await givenNotifiableTicket(db);
    const stream = collectStream(hub, client.user.id);
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
    const { client, notify } = await givenNotifiableTicket(db);
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
    const { client, support, notify } = await givenNotifiableTicket(db);
    const stream = collectStream(hub, client.user.id);
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
    const { client, notify } = await givenNotifiableTicket(db);
    const stream = collectStream(hub, client.user.id);
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

describe('notification hub: a stream that ends while its catch-up read is in flight', () => {
  it('given a subscriber who aborts during a slow catch-up read, when the read answers, then the stream ends at once', async () => {
    const { hub, next, readAnswered, abort } = await givenACatchUpReadHeldBack();

    abort();
    readAnswered();

    await expect(settledWithin(next, 1_000)).resolves.toEqual({ done: true, value: undefined });
    hub.close();
  });

  it('given a subscriber whose session ends during a slow catch-up read, when the read answers, then the stream ends with SESSION_ENDED at once', async () => {
    const { hub, next, readAnswered, userId } = await givenACatchUpReadHeldBack();

    hub.sessionsEnded({ userId });
    readAnswered();

    await expect(settledWithin(next, 1_000)).rejects.toMatchObject({ code: 'SESSION_ENDED' });
    hub.close();
  });

  it('given the hub closes during a slow catch-up read, when the read answers, then the stream ends with SHUTTING_DOWN at once', async () => {
    const { hub, next, readAnswered } = await givenACatchUpReadHeldBack();

    hub.close();
    readAnswered();

    await expect(settledWithin(next, 1_000)).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
  });

  it('given a subscriber who aborts during a catch-up read that then fails, then the stream ends at once, not after the retry delay', async () => {
    const { hub, next, readFailed, abort } = await givenACatchUpReadHeldBack({ retryDelayMs: 60_000 });

    abort();
    readFailed();

    await expect(settledWithin(next, 1_000)).resolves.toEqual({ done: true, value: undefined });
    hub.close();
  });

  it('given a session that ends during a catch-up read which found rows, then none of them is handed out', async () => {
    const { hub, next, readAnswered, userId } = await givenACatchUpReadHeldBack({ withRowsToCatchUp: true });

    hub.sessionsEnded({ userId });
    readAnswered();

    await expect(settledWithin(next, 1_000)).rejects.toMatchObject({ code: 'SESSION_ENDED' });
    hub.close();
  });
});

/**
 * A subscriber resuming from before its notifications (or with none to catch up on), whose first
 * catch-up read is held back: the query runs in the database, its answer waits for `readAnswered()` (or
 * is replaced by an error, `readFailed()`).
 * Resolves once the read is in flight, with the subscriber waiting on its first row (`next`).
 */
async function givenACatchUpReadHeldBack({ withRowsToCatchUp = false, retryDelayMs = 1_000 } = {}) {
  const { client, notify } = await givenNotifiableTicket(db);
  if (withRowsToCatchUp) await notify([client.user.id]);
  const reads = answersHeldBack();
  const hub = createNotificationHub({ db: reads.db, retryDelayMs });
  const controller = new AbortController();
  const held = reads.holdNextAnswer();
  const next = hub
    .subscribe(client.user.id, { afterSeq: 0, includeInternal: true, signal: controller.signal })
    [Symbol.asyncIterator]()
    .next();
  await held.reached;
  return {
    hub,
    next,
    readAnswered: () => held.release('answer'),
    readFailed: () => held.release('fail'),
    abort: () => controller.abort(),
    userId: client.user.id,
  };
}

/**
 * The test database seen through a Kysely plugin (the hub's `db` seam) that can hold a query's answer
 * back, then let it through or fail it as a lost connection would.
 */
function answersHeldBack() {
  type Outcome = 'answer' | 'fail';
  let holding: { reached: () => void; released: Promise<Outcome> } | null = null;
  const heldDb = db.withPlugin({
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      const hold = holding;
      holding = null;
      if (hold) {
        hold.reached();
        if ((await hold.released) === 'fail') throw new Error('connection lost while reading');
      }
      return args.result;
    },
  });
  return {
    db: heldDb,
    /** Holds the next query's answer; `reached` resolves once it is held, `release` lets it go. */
    holdNextAnswer() {
      let onReached = () => {};
      let release: (outcome: Outcome) => void = () => {};
      const reached = new Promise<void>((resolve) => {
        onReached = resolve;
      });
      const released = new Promise<Outcome>((resolve) => {
        release = resolve;
      });
      holding = { reached: onReached, released };
      return { reached, release: (outcome: Outcome) => release(outcome) };
    },
  };
}

/** `promise`, or a rejection naming the wait when it has not settled within `ms`. */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function givenTicketWithInternalNews() {
  const cast = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
    assignedTo: cast.support.user.id,
  });
  return { ...cast, ticket };
}
