import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createTicket,
  createWebhook,
  createWebhookTransport,
  deliverWebhookBatch,
  type Executor,
  recordAuditEvent,
} from '@tickets/core';
import { createWorkspaceWithCast } from '@tickets/core/testing';
import { openTestDatabase, recreateTestDatabase } from '@tickets/db/testing';

// `pnpm --filter @tickets/bench webhooks [--events 10000] [--receiver-delay-ms 5] [--write-seconds 3]`
// A burst of events delivered to a local receiver that takes --receiver-delay-ms per request:
//  1. the receiver's own throughput at the worker's concurrency (POSTs straight from the transport);
//  2. the burst: events enqueued with their audit rows, then delivered by the worker's batch function
//     in --loops loops of --batch (what WEBHOOK_CONCURRENCY and WEBHOOK_BATCH_SIZE set on a server);
//  3. ticket writes per second with no endpoint, with an endpoint subscribed, with the worker
//     delivering a backlog at the same time in this process (as one server instance runs both), and
//     with the worker in a process of its own (as another instance would).
// It creates its own database (tickets_bench_webhooks) on the PostgreSQL at TEST_DATABASE_SERVER_URL.

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    'receiver-delay-ms': { type: 'string', default: '5' },
    loops: { type: 'string', default: '4' },
    batch: { type: 'string', default: '50' },
    writers: { type: 'string', default: '8' },
    'write-seconds': { type: 'string', default: '3' },
  },
});
const events = Number(values.events);
const receiverDelayMs = Number(values['receiver-delay-ms']);
const loops = Number(values.loops);
const batchSize = Number(values.batch);
const writers = Number(values.writers);
const writeSeconds = Number(values['write-seconds']);

process.env.TEST_DATABASE_NAME = 'tickets_bench_webhooks';
const dropDatabase = await recreateTestDatabase();
const database = await openTestDatabase();
const db = database.db;

let received = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received += 1;
    setTimeout(() => res.writeHead(204).end(), receiverDelayMs);
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
const policy = { allowHttp: true, allowedAddresses: ['127.0.0.1/32'], resolve: async () => [] };
const transport = createWebhookTransport({ policy });

const cast = await createWorkspaceWithCast(db);
const ticket = await createTicket(db, cast.client.actor, {
  title: 'Bench',
  description: 'Bench ticket.',
  category: 'general',
  priority: 'medium',
});
const { endpoint } = await createWebhook(
  db,
  cast.admin.actor,
  { url: receiverUrl, events: ['ticket.updated'], includeInternal: false, enabled: true },
  policy,
);

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

async function receiverThroughput(requests: number): Promise<number> {
  const inFlight = loops * batchSize;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests) {
        next += 1;
        await transport({ url: receiverUrl, body: '{}', headers: { 'content-type': 'application/json' } });
      }
    }),
  );
  return perSecond(requests, performance.now() - started);
}

async function enqueueBurst(count: number): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < count; done += 500) {
    await db.transaction().execute(async (tx) => {
      for (let index = done; index < Math.min(count, done + 500); index += 1) {
        await recordAuditEvent(tx, {
          workspaceId: cast.workspace.id,
          ticketId: ticket.id,
          actorId: cast.admin.user.id,
          action: 'ticket.updated',
          data: { changes: { title: { from: 'a', to: `b${index}` } } },
        });
      }
    });
  }
  return perSecond(count, performance.now() - started);
}

async function deliverAll(executor: Executor, stop: () => boolean = () => false) {
  const started = performance.now();
  let delivered = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (!stop()) {
        const result = await deliverWebhookBatch(executor, { transport, batchSize });
        delivered += result.delivered;
        if (result.claimed === 0) return;
      }
    }),
  );
  return { delivered, perSecond: perSecond(delivered, performance.now() - started) };
}

async function ticketWrites(): Promise<number> {
  let created = 0;
  const deadline = performance.now() + writeSeconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        await createTicket(db, cast.client.actor, {
          title: 'Written during the bench',
          description: 'Bench.',
          category: 'general',
          priority: 'medium',
        });
        created += 1;
      }
    }),
  );
  return perSecond(created, performance.now() - started);
}

try {
  await receiverThroughput(500); // warm-up: JIT and sockets, as the burst below finds them
  const receiverPerSecond = await receiverThroughput(Math.min(events, 2_000));
  const enqueuePerSecond = await enqueueBurst(events);
  const burst = await deliverAll(db);
  const pending = await db
    .selectFrom('webhookDeliveries')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('status', '<>', 'delivered')
    .executeTakeFirstOrThrow();

  const writesAlone = await ticketWrites();
  await db
    .updateTable('webhookEndpoints')
    .set({ events: ['ticket.updated', 'ticket.created'] })
    .where('id', '=', endpoint.id)
    .execute();
  const writesSubscribed = await ticketWrites();
  // A backlog the worker is still working through while the writers write.
  await enqueueBurst(events);
  let writing = true;
  const delivering = deliverAll(db, () => !writing);
  const writesWhileDelivering = await ticketWrites();
  writing = false;
  const during = await delivering;

  // The same again with the worker in another process: the database's share, without the event loop's.
  await enqueueBurst(events);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./webhooks-worker.ts', import.meta.url)),
      String(loops),
      String(batchSize),
    ],
    { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let childOutput = '';
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk) => {
      childOutput += chunk;
      if (childOutput.includes('ready\n')) resolve();
    });
  });
  await ready; // its start-up done, so the writes overlap its deliveries
  const writesBesideAWorkerProcess = await ticketWrites();
  child.kill('SIGTERM');
  await once(child, 'exit');
  const besideWorker = JSON.parse(childOutput.replace('ready\n', '')) as {
    delivered: number;
    perSecond: number;
  };

  console.log(
    JSON.stringify(
      {
        settings: {
          events,
          receiverDelayMs,
          loops,
          batchSize,
          inFlight: loops * batchSize,
          writers,
          writeSeconds,
        },
        receiverRequestsPerSecond: receiverPerSecond,
        enqueueEventsPerSecond: enqueuePerSecond,
        burst: {
          delivered: burst.delivered,
          deliveriesPerSecond: burst.perSecond,
          undelivered: Number(pending.count),
        },
        ticketWritesPerSecond: {
          noEndpointSubscribed: writesAlone,
          endpointSubscribed: writesSubscribed,
          whileDeliveringABacklog: writesWhileDelivering,
          besideAWorkerProcessDelivering: writesBesideAWorkerProcess,
        },
        deliveredWhileWriting: { delivered: during.delivered, deliveriesPerSecond: during.perSecond },
        deliveredByTheWorkerProcess: besideWorker,
        receivedByReceiver: received,
      },
      null,
      2,
    ),
  );
} finally {
  receiver.close();
  await database.close();
  await dropDatabase();
}
