import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { startOutboxWorker } from './outbox-worker';

// The loop alone, around a batch function that counts its calls: the outboxes' own batch functions are
// tested against the database (notifications/outbox.test.ts, webhooks/webhooks.test.ts).

const logger = createLogger('silent');

describe('startOutboxWorker', () => {
  it('given full batches, then it runs the next one at once; given a short one, then it naps until woken', async () => {
    const claims = [5, 5, 2];
    let calls = 0;
    const worker = startOutboxWorker({
      logger,
      batchSize: 5,
      intervalMs: 60_000,
      runBatch: async () => {
        calls += 1;
        return { claimed: claims.shift() ?? 0 };
      },
    });
    await sleep(100);
    expect(calls).toBe(3); // 5 (full), 5 (full), 2: then the nap, a minute long

    worker.wake();
    await sleep(100);
    expect(calls).toBe(4);
    await worker.close();
  });

  it('given a batch that throws (database briefly gone), then the loop survives and retries at the next poll', async () => {
    let calls = 0;
    const worker = startOutboxWorker({
      logger,
      batchSize: 10,
      intervalMs: 20,
      runBatch: async () => {
        calls += 1;
        if (calls === 1) throw new Error('connection terminated');
        return { claimed: 0 };
      },
    });
    await sleep(300);
    await worker.close();
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('given several loops, then batches run side by side, and close waits for the ones in flight', async () => {
    let inFlight = 0;
    let most = 0;
    let finished = 0;
    const worker = startOutboxWorker({
      logger,
      batchSize: 10,
      concurrency: 3,
      intervalMs: 60_000,
      runBatch: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await sleep(50);
        inFlight -= 1;
        finished += 1;
        return { claimed: 1 };
      },
    });
    await sleep(10);
    await worker.close();
    expect(most).toBe(3);
    expect(finished).toBe(3);
    expect(inFlight).toBe(0);
  });

  it('given a prune, then it runs at most once per period', async () => {
    let prunes = 0;
    const worker = startOutboxWorker({
      logger,
      batchSize: 10,
      intervalMs: 10,
      runBatch: async () => ({ claimed: 0 }),
      prune: {
        everyMs: 60_000,
        run: async () => {
          prunes += 1;
          return 0;
        },
      },
    });
    await sleep(100);
    await worker.close();
    expect(prunes).toBe(1);
  });
});
