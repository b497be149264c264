import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
// The package's own name, not './client': dist/react.js then imports dist/index.js instead of
// sharing a chunk with it, and the React entry's declarations stay separate from the main ones.
import type { AppRouter, TicketsClient } from '@tickets/client';
import { createTRPCContext, type TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { createContext, createElement, type ReactNode, useContext } from 'react';

/**
 * Subscribes while the component is mounted, e.g. to live notifications.
 *
 * @example
 * const api = useTickets();
 * useSubscription(api.notifications.onNotification.subscriptionOptions(undefined, { onData: (event) => show(event.data) }));
 */
export { useSubscription } from '@trpc/tanstack-react-query';

/**
 * Typed TanStack Query options for every procedure (`queryOptions`, `mutationOptions`, `queryKey`,
 * `infiniteQueryOptions`, `subscriptionOptions`), as `useTickets()` returns them.
 *
 * @example
 * const api: TicketsQueryOptions = useTickets();
 * const tickets = useQuery(api.tickets.list.queryOptions({ status: 'open' }));
 */
export type TicketsQueryOptions = TRPCOptionsProxy<AppRouter>;

const trpc = createTRPCContext<AppRouter>();
const ClientContext = createContext<TicketsClient | null>(null);

/**
 * What `<TicketsProvider>` takes: the client (from `createTicketsClient`) and the app's QueryClient.
 *
 * @example
 * const props: TicketsProviderProps = { client, queryClient, children: <App /> };
 */
export interface TicketsProviderProps {
  client: TicketsClient;
  queryClient: QueryClient;
  children?: ReactNode;
}

/**
 * Makes the client and TanStack Query available to the hooks below (it includes the QueryClientProvider).
 *
 * @example
 * const client = createTicketsClient({ url: location.origin });
 * const queryClient = new QueryClient();
 * createRoot(root).render(
 *   <TicketsProvider client={client} queryClient={queryClient}>
 *     <App />
 *   </TicketsProvider>,
 * );
 */
export function TicketsProvider({ client, queryClient, children }: TicketsProviderProps) {
  const withClient = createElement(ClientContext.Provider, { value: client }, children);
  const withTrpc = createElement(trpc.TRPCProvider, {
    trpcClient: client,
    queryClient,
    // biome-ignore lint/correctness/noChildrenProp: TRPCProvider's props type requires `children`, which createElement's third argument does not satisfy.
    children: withClient,
  });
  return createElement(QueryClientProvider, { client: queryClient }, withTrpc);
}

/**
 * The typed query and mutation options of every procedure, for TanStack Query's own hooks.
 *
 * @example
 * const api = useTickets();
 * const { data } = useQuery(api.tickets.get.queryOptions({ id }));
 * const reply = useMutation(api.messages.create.mutationOptions());
 * const page = useInfiniteQuery(
 *   api.tickets.list.infiniteQueryOptions({ status: 'open' }, { getNextPageParam: (last) => last.nextCursor }),
 * );
 */
export function useTickets(): TicketsQueryOptions {
  return trpc.useTRPC();
}

/**
 * The client itself, for what is not a query: attachment uploads (with progress) and downloads.
 *
 * @example
 * const client = useTicketsClient();
 * await client.uploadAttachment({ ticketId, file, onProgress: ({ loaded, total }) => setShare(loaded / (total ?? 1)) });
 */
export function useTicketsClient(): TicketsClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useTicketsClient() needs a <TicketsProvider> above it.');
  return client;
}
