import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface ListeningServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  server: Server;
  /** Cuts open connections (live streams included) and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves a Hono app on a free loopback port for a test: a real Node request underneath, which the
 * streaming upload route needs (app.request() has no raw request).
 */
export async function listenOnFreePort(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await once(server, 'listening');
  const listening: ListeningServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return listening;
}
