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
import {
  type DownloadedAttachment,
  downloadAttachment,
  type Transport,
  type UploadAttachmentInput,
  uploadAttachment,
} from './attachments';
import type { Attachment } from './types';

/**
 * What the client needs of an `EventSource` (the browser's, or the `eventsource` package's on Node).
 *
 * @example
 * import { EventSource } from 'eventsource';
 * const source: EventSourceLike = new EventSource('http://localhost:3000/trpc/notifications.onNotification');
 */
export interface EventSourceLike {
  readonly CLOSED: number;
  readonly CONNECTING: number;
  readonly OPEN: number;
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  removeEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

/**
 * An `EventSource` class: the `eventsource` package's accepts a `fetch`, which carries the bearer token.
 *
 * @example
 * import { EventSource } from 'eventsource';
 * const client = createTicketsClient({ url, token, EventSource });
 */
export type EventSourceConstructor = new (
  url: string,
  init?: { withCredentials?: boolean; fetch?: typeof globalThis.fetch },
) => EventSourceLike;

/**
 * How to reach the server and as whom.
 *
 * @example
 * const options: TicketsClientOptions = { url: 'https://help.example.com', token: savedToken };
 */
export interface TicketsClientOptions {
  /** The server's base URL, e.g. `https://help.example.com` (the client adds `/trpc` and `/api/attachments`). */
  url: string;
  /**
   * A session token for programs (sent as `Authorization: Bearer`), from `auth.signIn`. Browsers leave it
   * out: the session cookie set by sign-in is sent instead.
   */
  token?: string;
  /** A fetch implementation (tests, proxies); defaults to the global one. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * For live notifications: defaults to the global `EventSource`. Node 20 has none: pass the `eventsource`
   * package's (`import { EventSource } from 'eventsource'`), which also carries the bearer token.
   */
  EventSource?: EventSourceConstructor;
}

/**
 * The helpers for attachment bytes, which travel over plain HTTP beside tRPC, with the client's credentials.
 *
 * @example
 * const { stream } = await client.downloadAttachment(attachment.id);
 */
export interface TicketsClientHelpers {
  /**
   * Uploads a file to a ticket (or one of its messages) and returns the stored attachment's metadata.
   *
   * @example
   * const attachment = await client.uploadAttachment({
   *   ticketId: ticket.id,
   *   file: createReadStream('./screenshot.png'), // or a File from an <input type="file">, or a Buffer
   *   onProgress: ({ loaded, total }) => console.log(`${loaded} / ${total ?? '?'} bytes`),
   * });
   */
  uploadAttachment(input: UploadAttachmentInput): Promise<Attachment>;
  /**
   * Fetches an attachment's bytes as a web stream, with its name, type and size.
   *
   * @example
   * const { stream, filename } = await client.downloadAttachment(attachment.id);
   * await pipeline(Readable.fromWeb(stream), createWriteStream(filename));
   */
  downloadAttachment(id: string, options?: { signal?: AbortSignal }): Promise<DownloadedAttachment>;
}

/**
 * The typed procedures (`client.tickets.create.mutate(…)`) plus the attachment helpers.
 *
 * @example
 * function useClient(): TicketsClient {
 *   return createTicketsClient({ url: location.origin });
 * }
 */
export type TicketsClient = TRPCClient<AppRouter> & TicketsClientHelpers;

/**
 * Stands in when the runtime has no `EventSource` (Node 20) and none was passed: subscribing then fails
 * with what to do, instead of tRPC's "opts.EventSource is not a constructor".
 */
const MissingEventSource = class {
  constructor() {
    throw new Error(
      "This runtime has no EventSource (Node 20 has none): pass one to createTicketsClient, e.g. `import { EventSource } from 'eventsource'` and createTicketsClient({ url, token, EventSource }).",
    );
  }
} as unknown as EventSourceConstructor;

/**
 * The typed client of the tickets platform.
 *
 * @example
 * // Node ≥ 20, with a token from auth.signIn:
 * import { EventSource } from 'eventsource';
 * const client = createTicketsClient({ url: 'http://localhost:3000', token, EventSource });
 * const { items } = await client.tickets.list.query({ status: 'open' });
 * client.notifications.onNotification.subscribe(undefined, { onData: (event) => console.log(event.data) });
 *
 * @example
 * // In a browser on the server's origin: the session cookie does the signing in.
 * const client = createTicketsClient({ url: location.origin });
 * await client.auth.signIn.mutate({ email, password });
 */
export function createTicketsClient(options: TicketsClientOptions): TicketsClient {
  const baseUrl = options.url.replace(/\/+$/, '');
  const url = `${baseUrl}/trpc`;
  const authorization = options.token ? { authorization: `Bearer ${options.token}` } : undefined;
  const headers = () => ({ ...options.headers, ...authorization });
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // Cookies must go along on cross-origin calls too (an app on another port or subdomain of the API).
  const fetchWithCookies: typeof globalThis.fetch = (input, init) =>
    baseFetch(input, { ...init, credentials: 'include' });
  // The server refuses batches of more than 20 calls (TRPC_MAX_BATCH_SIZE); larger ones are split here.
  const http = { url, transformer: superjson, headers, fetch: fetchWithCookies, maxItems: 20 };

  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource: options.EventSource ?? globalThis.EventSource ?? MissingEventSource,
          // An EventSource cannot set headers. With a token (programs), the `eventsource` package takes a
          // fetch that adds them; it passes Last-Event-ID among the headers on reconnect, which must stay.
          eventSourceOptions: () =>
            options.token || options.headers
              ? {
                  withCredentials: true,
                  fetch: (input: string | URL | Request, init?: RequestInit) => {
                    const merged = new Headers(init?.headers);
                    for (const [name, value] of Object.entries(headers())) merged.set(name, value);
                    return baseFetch(input, { ...init, headers: merged });
                  },
                }
              : { withCredentials: true },
        }),
        // Mutations go unstreamed: once a streamed response has started, Set-Cookie (sign-in) can't be sent.
        false: splitLink({
          condition: (op) => op.type === 'mutation',
          true: httpBatchLink(http),
          false: httpBatchStreamLink(http),
        }),
      }),
    ],
  });

  const transport: Transport = { baseUrl, fetch: fetchWithCookies, headers, mayUseXhr: !options.fetch };
  const helpers: TicketsClientHelpers = {
    uploadAttachment: (input) => uploadAttachment(transport, input),
    downloadAttachment: (id, downloadOptions) => downloadAttachment(transport, id, downloadOptions),
  };
  // The tRPC client is a proxy that turns every property into a procedure path: the helpers sit in front.
  return new Proxy(trpc, {
    get(target, property, receiver) {
      if (property === 'uploadAttachment' || property === 'downloadAttachment') return helpers[property];
      return Reflect.get(target, property, receiver);
    },
  }) as TicketsClient;
}
