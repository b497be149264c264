import type { AppRouter } from '@tickets/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpBatchStreamLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import superjson from 'superjson';

export type { AppRouter, RouterInputs, RouterOutputs } from '@tickets/api';

export interface TicketsClientOptions {
  /** The server's base URL, e.g. `https://help.example.com` (the client adds `/trpc`). */
  url: string;
  /** A session token for programs (sent as `Authorization: Bearer`). Browsers use the session cookie instead. */
  token?: string;
  /** A fetch implementation (tests, proxies); defaults to the global one. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
}

export type TicketsClient = TRPCClient<AppRouter>;

/**
 * The typed client of the tickets platform.
 *
 * @example
 * const client = createTicketsClient({ url: 'http://localhost:3000', token });
 * const { items } = await client.tickets.list.query({ status: 'open' });
 */
export function createTicketsClient(options: TicketsClientOptions): TicketsClient {
  const url = `${options.url.replace(/\/$/, '')}/trpc`;
  const headers = () => ({
    ...options.headers,
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  });
  const http = { url, transformer: superjson, headers, ...(options.fetch ? { fetch: options.fetch } : {}) };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, transformer: superjson }),
        // Mutations go unstreamed: once a streamed response has started, Set-Cookie (sign-in) can't be sent.
        false: splitLink({
          condition: (op) => op.type === 'mutation',
          true: httpBatchLink(http),
          false: httpBatchStreamLink(http),
        }),
      }),
    ],
  });
}
