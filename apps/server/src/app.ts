import { trpcServer } from '@hono/trpc-server';
import { type ApiContext, type AppServices, appRouter, createApiContext } from '@tickets/api';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { pino } from 'pino';
import type { Logger } from './logger';
import { createAttachmentRoutes } from './routes/attachments';

declare module 'hono' {
  interface ContextVariableMap {
    /** The server's logger bound to this request's id: routes log through it. */
    logger: Logger;
  }
}

export interface AppOptions {
  services: AppServices;
  /** Set while the process drains after SIGTERM: /readyz answers 503 so load balancers move away. */
  isDraining?: () => boolean;
  /** Where request lines and unexpected errors go; silent when omitted (tests). */
  logger?: Logger;
}

/** The HTTP surface: tRPC at /trpc, health probes. No environment reads here (see env.ts). */
export function createApp({
  services,
  isDraining = () => false,
  logger = pino({ enabled: false }),
}: AppOptions) {
  const app = new Hono();
  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    c.set('logger', logger.child({ requestId: c.get('requestId') }));
    await next();
    // requestId() sets the header before the handler runs; a handler returning its own Response (tRPC
    // does) drops it, and clients need the id to quote in a bug report.
    if (!c.res.headers.has('x-request-id')) c.header('X-Request-Id', c.get('requestId'));
    // Keep-alive clients reconnect, and so reach an instance that is not shutting down.
    if (isDraining()) c.header('Connection', 'close');
    c.get('logger').info(
      {
        method: c.req.method,
        // The path only: query strings carry tRPC inputs, which may be personal data.
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    c.get('logger').error({ err: error }, 'unexpected error');
    return c.json({ error: 'Internal server error.', requestId: c.get('requestId') }, 500);
  });

  app.route('/api/attachments', createAttachmentRoutes(services));
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
      onError({ error, path, ctx }) {
        // Clients only see "Internal server error." and the request id; the cause is logged here.
        const requestId = (ctx as ApiContext | undefined)?.requestId;
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          logger.error({ requestId, procedure: path, err: error.cause ?? error }, 'procedure failed');
        } else if (error.code === 'SERVICE_UNAVAILABLE') {
          logger.warn({ requestId, procedure: path, err: error.cause ?? error }, 'procedure unavailable');
        }
      },
    }),
  );
  return app;
}
