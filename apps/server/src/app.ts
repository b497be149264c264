import { trpcServer } from '@hono/trpc-server';
import { type AppServices, appRouter, createApiContext } from '@tickets/api';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';

export interface AppOptions {
  services: AppServices;
  /** Set while the process drains after SIGTERM: /readyz answers 503 so load balancers move away. */
  isDraining?: () => boolean;
}

/** The HTTP surface: tRPC at /trpc, health probes. No environment reads here (see env.ts). */
export function createApp({ services, isDraining = () => false }: AppOptions) {
  const app = new Hono();
  app.use(requestId());

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const ready = !isDraining() && (await services.isDatabaseReady());
    return c.json({ ok: ready }, ready ? 200 : 503);
  });

  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      createContext: (opts, c) =>
        createApiContext({
          requestId: c.get('requestId'),
          services,
          headers: c.req.raw.headers,
          resHeaders: opts.resHeaders,
        }),
    }),
  );
  return app;
}
