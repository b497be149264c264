import { QueryClient } from '@tanstack/react-query';
import { createTicketsClient, isTicketsError } from '@tickets/client';

/** The console talks to the server that served it: same origin, the session cookie signs each call. */
export const client = createTicketsClient({ url: window.location.origin });

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // An answer from the server (NOT_FOUND, FORBIDDEN…) will not change on retry; a network blip may.
      retry: (failures, error) => !isTicketsError(error) && failures < 2,
      staleTime: 15_000,
    },
  },
});
