import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** How the receiver answers one request: a status, or `hang` (never answer: a timeout or a dead worker). */
export type ReceiverAnswer = number | 'hang';

/**
 * A real HTTP server on 127.0.0.1 that keeps every POST it gets and answers from a script: the next
 * scripted answer, or `fallback` once the script is used up.
 */
export async function startWebhookReceiver(options: { fallback?: ReceiverAnswer; delayMs?: number } = {}) {
  const received: ReceivedWebhook[] = [];
  const script: ReceiverAnswer[] = [];
  const hanging: ServerResponse[] = [];
  let fallback: ReceiverAnswer = options.fallback ?? 204;
  const arrivals = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      for (const arrival of arrivals) arrival();
      const answer = script.shift() ?? fallback;
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      const respond = () => res.writeHead(answer, { 'content-type': 'text/plain' }).end(`answer ${answer}`);
      if (options.delayMs) setTimeout(respond, options.delayMs);
      else respond();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The next requests get these answers, in order. */
    answer: (...answers: ReceiverAnswer[]) => script.push(...answers),
    setFallback: (answer: ReceiverAnswer) => {
      fallback = answer;
    },
    /** Resolves once `count` requests in all have arrived. */
    async waitFor(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${received.length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          const done = () => {
            arrivals.delete(done);
            resolve();
          };
          arrivals.add(done);
          setTimeout(done, 100);
        });
      }
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
