import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The receiver of `pnpm --filter @tickets/bench webhooks`, in a process of its own so that answering
// thousands of POSTs a second does not share an event loop with the bench's writers and clocks.
// `node --import tsx webhook-receiver.ts <delay-ms>`: answers every POST 204 after <delay-ms>, GET /count
// with how many POSTs it has received, and logs `{"msg":"listening","port":…}` once ready (the line
// processes.ts waits for).

const delayMs = Number(process.argv[2] ?? 5);
let received = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received }));
    return;
  }
  req.resume();
  req.on('end', () => {
    received += 1;
    setTimeout(() => res.writeHead(204).end(), delayMs);
  });
});
// Keep-alive connections outlive Node's default 5 s when the worker pauses between write windows.
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })}\n`,
  );
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
