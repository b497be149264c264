import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter, AppServices, RouterOutputs } from '@tickets/api';
import { createLocalDiskStorage, DEFAULT_MAX_UPLOAD_BYTES, defaultLiveStreamLimits } from '@tickets/core';
import { createTicket, createWorkspaceWithCast, FACTORY_PASSWORD } from '@tickets/core/testing';
import { openTestDatabase, testDatabaseUrl } from '@tickets/db/testing';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { loadEnv } from '../env';
import { createLogger } from '../logger';
import { listenOnFreePort } from '../testing/listen';
import { startNotifications } from '.';

// Two server instances in this process, each with its own pool, hub and LISTEN connection, sharing one
// PostgreSQL database: what several processes behind a load balancer look like to the database.

type Notification = RouterOutputs['notifications']['list']['items'][number];

const silent = createLogger('silent');
let storageDir: string;
const instances: Instance[] = [];

beforeAll(async () => {
  storageDir = await mkdtemp(join(tmpdir(), 'tickets-live-test-'));
});
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await rm(storageDir, { recursive: true, force: true });
});

interface Instance {
  db: AppServices['db'];
  hub: AppServices['notificationHub'];
  http: Server;
  url: string;
  stop(): Promise<void>;
}

async function startInstance(): Promise<Instance> {
  const env = loadEnv({ DATABASE_URL: testDatabaseUrl(), PORT: '0' });
  const database = await openTestDatabase();
  const notifications = startNotifications(env, database.db, silent);
  const services: AppServices = {
    db: database.db,
    production: false,
    secureCookies: false,
    isDatabaseReady: () => database.isReady(),
    storage: createLocalDiskStorage(storageDir),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    notificationHub: notifications.hub,
  };
  const listening = await listenOnFreePort(createApp({ services }));
  const http = listening.server;
  const instance: Instance = {
    db: database.db,
    hub: notifications.hub,
    http,
    url: `${listening.url}/trpc`,
    async stop() {
      await notifications.close();
      await listening.close();
      await database.close();
    },
  };
  instances.push(instance);
  return instance;
}

/** The typed client a program would use: bearer token on every request, SSE for subscriptions. */
function clientOf(instance: Instance, token: string) {
  const authorization = `Bearer ${token}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: instance.url,
          transformer: superjson,
          EventSource,
          // EventSource cannot set headers; the eventsource package lets its fetch do it. On reconnect it
          // passes Last-Event-ID among these headers, which must survive.
          eventSourceOptions: () => ({
            fetch: (url, init) => {
              const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
              headers.set('authorization', authorization);
              return fetch(url, { ...init, headers });
            },
          }),
        }),
        false: httpBatchLink({ url: instance.url, transformer: superjson, headers: { authorization } }),
      }),
    ],
  });
}

type Client = ReturnType<typeof clientOf>;

function subscribe(client: Client, input: { lastEventId?: string } = {}) {
  const events: Array<{ id: string; data: Notification }> = [];
  const errors: unknown[] = [];
  const states: string[] = [];
  const subscription = client.notifications.onNotification.subscribe(input, {
    onData: (event) => events.push(event),
    onError: (error) => errors.push(error),
    onConnectionStateChange: (state) => states.push(state.state),
  });
  return {
    events,
    errors,
    states,
    ids: () => events.map((event) => event.data.id),
    lastEventId: () => events.at(-1)?.id,
    unsubscribe: () => subscription.unsubscribe(),
  };
}

let a: Instance;
let b: Instance;
beforeAll(async () => {
  [a, b] = await Promise.all([startInstance(), startInstance()]);
});

/** A requester's ticket assigned to support: each public staff reply notifies the requester. */
async function givenTicket() {
  const cast = await createWorkspaceWithCast(a.db);
  const ticket = await createTicket(a.db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
    assignedTo: cast.support.user.id,
  });
  const supportOnA = clientOf(a, cast.support.token);
  const reply = async (body: string) => {
    await supportOnA.messages.create.mutate({ ticketId: ticket.id, body });
    const row = await a.db
      .selectFrom('notifications')
      .select('id')
      .where('userId', '=', cast.client.user.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  return { ...cast, ticket, reply };
}

/** Streams of this user open on the instance (the hub is shared by every test of the file). */
const streamsOf = async (instance: Instance, expected: number) =>
  expect.poll(() => instance.hub.size).toBe(expected);

describe('live notifications across server instances', () => {
  it('given a requester subscribed on instance B, when staff reply through instance A, then the notification arrives on B', async () => {
    const { client, ticket, reply } = await givenTicket();
    const stream = subscribe(clientOf(b, client.token));
    try {
      await streamsOf(b, 1);

      const id = await reply('We are on it.');

      await expect.poll(stream.ids, { timeout: 5_000 }).toEqual([id]);
      const [event] = stream.events;
      expect(event?.data).toMatchObject({ id, type: 'message.created', ticketId: ticket.id, readAt: null });
      expect(event?.data.createdAt).toBeInstanceOf(Date);
      // The event id is the notification's own id: nothing about anyone else's activity.
      expect(event?.id).toBe(id);
      expect(stream.errors).toEqual([]);
    } finally {
      stream.unsubscribe();
      await streamsOf(b, 0);
    }
  });

  it('given a subscriber comes back with its last event id, then it gets what it missed, in order, nothing twice, then live ones', async () => {
    const { client, reply } = await givenTicket();
    const first = subscribe(clientOf(b, client.token));
    await streamsOf(b, 1);
    const seen = await reply('First.');
    await expect.poll(first.ids, { timeout: 5_000 }).toEqual([seen]);
    const lastEventId = first.lastEventId();
    first.unsubscribe();
    await streamsOf(b, 0);

    const missed = [await reply('Second.'), await reply('Third.')];
    const again = subscribe(clientOf(a, client.token), { lastEventId });
    try {
      await expect.poll(again.ids, { timeout: 5_000 }).toEqual(missed);
      await streamsOf(a, 1);
      const live = await reply('Fourth.');
      await expect.poll(again.ids, { timeout: 5_000 }).toEqual([...missed, live]);
    } finally {
      again.unsubscribe();
      await streamsOf(a, 0);
    }
  });

  it('given the connection drops, then the client reconnects by itself and resumes from its last event id', async () => {
    const { client, reply } = await givenTicket();
    const stream = subscribe(clientOf(b, client.token));
    try {
      await streamsOf(b, 1);
      const before = await reply('Before the drop.');
      await expect.poll(stream.ids, { timeout: 5_000 }).toEqual([before]);

      b.http.closeAllConnections();
      await streamsOf(b, 0);
      const during = [await reply('While away.'), await reply('Still away.')];

      await expect.poll(stream.ids, { timeout: 15_000, interval: 100 }).toEqual([before, ...during]);
      await streamsOf(b, 1);
      const after = await reply('Back again.');
      await expect.poll(stream.ids, { timeout: 5_000 }).toEqual([before, ...during, after]);
    } finally {
      stream.unsubscribe();
      await streamsOf(b, 0);
    }
  }, 30_000);

  it('given a stream, then it carries only the caller’s notifications', async () => {
    const { client, support, reply, ticket } = await givenTicket();
    const supportStream = subscribe(clientOf(b, support.token));
    try {
      await streamsOf(b, 1);
      await reply('For the client only.');
      const clientOnA = clientOf(a, client.token);
      await clientOnA.messages.create.mutate({ ticketId: ticket.id, body: 'For support.' });
      const forSupport = await a.db
        .selectFrom('notifications')
        .select('id')
        .where('userId', '=', support.user.id)
        .executeTakeFirstOrThrow();

      await expect.poll(supportStream.ids, { timeout: 5_000 }).toEqual([forSupport.id]);
    } finally {
      supportStream.unsubscribe();
      await streamsOf(b, 0);
    }
  });

  it('given an instance starts draining, then its streams end so clients reconnect (no terminal error)', async () => {
    const c = await startInstance();
    const { client } = await givenTicket();
    const stream = subscribe(clientOf(c, client.token));
    try {
      await streamsOf(c, 1);
      await expect.poll(() => stream.states.at(-1)).toBe('pending');

      c.hub.close();

      await streamsOf(c, 0);
      await expect.poll(() => stream.states.at(-1)).toBe('connecting');
      expect(stream.errors).toEqual([]);
    } finally {
      stream.unsubscribe();
    }
  });

  // Finding 1 of the outside attack: a stream outlived its session. The bound a stream can outlive it
  // by is one NOTIFY (milliseconds) while the listener is connected, and verifyEveryMs (10 s) otherwise.
  const appCodeOf = (error: unknown) => (error as { data?: { appCode?: string } }).data?.appCode;

  it('given an agent streaming on B, when they sign out through A, then the stream on B ends with SESSION_ENDED', async () => {
    const { support } = await givenTicket();
    const { token } = await clientOf(a, support.token).auth.signIn.mutate({
      email: support.user.email,
      password: FACTORY_PASSWORD,
    });
    const stream = subscribe(clientOf(b, token));
    try {
      await streamsOf(b, 1);
      const started = performance.now();

      await clientOf(a, token).auth.signOut.mutate();

      await expect.poll(() => stream.errors.map(appCodeOf), { timeout: 5_000 }).toEqual(['SESSION_ENDED']);
      await streamsOf(b, 0);
      // One NOTIFY away, far inside the periodic check's 10 s: the message, not the check, ended it.
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      stream.unsubscribe();
    }
  });

  it('given an agent streaming on B, when an admin demotes them through A, then the stream ends and no internal note reaches it', async () => {
    const { support, admin, ticket } = await givenTicket();
    const stream = subscribe(clientOf(b, support.token));
    try {
      await streamsOf(b, 1);

      await clientOf(a, admin.token).users.update.mutate({ id: support.user.id, role: 'client' });
      await expect.poll(() => stream.errors.map(appCodeOf), { timeout: 5_000 }).toEqual(['SESSION_ENDED']);
      await clientOf(a, admin.token).messages.create.mutate({
        ticketId: ticket.id,
        body: 'Internal',
        internal: true,
      });

      await streamsOf(b, 0);
      expect(stream.events).toEqual([]);
    } finally {
      stream.unsubscribe();
    }
  });

  it('given a session deleted while the NOTIFY was missed, then the periodic check ends its stream', async () => {
    const { client } = await givenTicket();
    const stream = subscribe(clientOf(b, client.token));
    try {
      await streamsOf(b, 1);
      // Deleted behind the server's back: no NOTIFY, as when the listener was reconnecting.
      await a.db.deleteFrom('sessions').where('userId', '=', client.user.id).execute();

      await b.hub.verifySessions();

      await expect.poll(() => stream.errors.map(appCodeOf), { timeout: 5_000 }).toEqual(['SESSION_ENDED']);
    } finally {
      stream.unsubscribe();
    }
  });

  // Finding 5: one user held 200 live streams.
  it('given a user with the most streams allowed open, then one more is refused with TOO_MANY_STREAMS, and allowed again once one closes', async () => {
    const { client } = await givenTicket();
    const streams = Array.from({ length: defaultLiveStreamLimits.maxPerUser }, () =>
      subscribe(clientOf(b, client.token)),
    );
    try {
      await streamsOf(b, defaultLiveStreamLimits.maxPerUser);
      const extra = subscribe(clientOf(b, client.token));
      await expect.poll(() => extra.errors.map(appCodeOf), { timeout: 5_000 }).toEqual(['TOO_MANY_STREAMS']);
      extra.unsubscribe();

      streams.pop()?.unsubscribe();
      await streamsOf(b, defaultLiveStreamLimits.maxPerUser - 1);
      const again = subscribe(clientOf(b, client.token));
      streams.push(again);
      await streamsOf(b, defaultLiveStreamLimits.maxPerUser);
      expect(again.errors).toEqual([]);
    } finally {
      for (const stream of streams) stream.unsubscribe();
      await streamsOf(b, 0);
    }
  });
});
