import { createWebhookTransport, deliverWebhookBatch } from '@tickets/core';
import { openTestDatabase } from '@tickets/db/testing';

// The webhook worker of `pnpm --filter @tickets/bench webhooks` in a process of its own (as a second
// server instance would run it): delivers until SIGTERM, then prints what it delivered as JSON.

const loops = Number(process.argv[2] ?? 4);
const batchSize = Number(process.argv[3] ?? 50);
const database = await openTestDatabase();
const policy = { allowHttp: true, allowedAddresses: ['127.0.0.1/32'], resolve: async () => [] };
const transport = createWebhookTransport({ policy });
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

process.stdout.write('ready\n');
const started = performance.now();
let delivered = 0;
await Promise.all(
  Array.from({ length: loops }, async () => {
    while (!stopping) {
      const result = await deliverWebhookBatch(database.db, { transport, batchSize });
      delivered += result.delivered;
      if (result.claimed === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }),
);
const ms = performance.now() - started;
await database.close();
process.stdout.write(`${JSON.stringify({ delivered, perSecond: Math.round((delivered / ms) * 1000) })}\n`);
