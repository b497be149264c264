import { trpcServer } from '@hono/trpc-server';
import { type ApiContext, type AppServices, appRouter, createApiContext } from '@tickets/api';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { pino } from 'pino';
import type { Logger } from './logger';
import { createAttachmentRoutes } from './routes/attachments';
import { createConsoleRoutes } from './routes/console';
import {
  clientAddress,
  defaultHttpSecurity,
  type HttpSecurityOptions,
  refusesCrossSite,
  securityHeaders,
  strictCors,
  trpcBodyLimit,
} from './security/http-security';

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
  /** CORS, CSRF, client address, body and batch limits; defaults: same origin only, no proxy trusted. */
  security?: HttpSecurityOptions;
  /** The built web console to serve at `/` (apps/web/dist); omitted: no console, the API only. */
  consoleDistDir?: string;
}

/** The HTTP surface: tRPC at /trpc, health probes, the web console at /. No environment reads here (see env.ts). */
export function createApp({
  services,
  isDraining = () => false,
  logger = pino({ enabled: false }),
  security = defaultHttpSecurity,
  consoleDistDir,
}: AppOptions) {
  const app = new Hono();
  app.use(requestId());
  app.use(securityHeaders());
  app.use(strictCors(security.allowedOrigins));
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
  // One CSRF check for every state-changing route (tRPC mutations and the upload alike).
  app.use(async (c, next) => {
    if (!refusesCrossSite(c, security.allowedOrigins)) return next();
    c.get('logger').warn({ origin: c.req.header('origin') ?? null }, 'cross-site request refused');
    return c.json(
      errorBody(
        c,
        'FORBIDDEN',
        'CROSS_SITE_REQUEST',
        'Cross-site request refused: call from an allowed origin.',
      ),
      403,
    );
  });

  app.route('/api/attachments', createAttachmentRoutes(services));
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const ready = !isDraining() && (await services.isDatabaseReady());
    return c.json({ ok: ready }, ready ? 200 : 503);
  });

  app.use(
    '/trpc/*',
    trpcBodyLimit(security.maxTrpcBodyBytes, (c) =>
      c.json(
        errorBody(
          c,
          'PAYLOAD_TOO_LARGE',
          'PAYLOAD_TOO_LARGE',
          `The request body is larger than ${security.maxTrpcBodyBytes} bytes.`,
        ),
        413,
      ),
    ),
  );
  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      // Each call of a batch runs a procedure: an unbounded batch would multiply one request's cost.
      maxBatchSize: security.maxBatchSize,
      createContext: (opts, c) =>
        createApiContext({
          requestId: c.get('requestId'),
          services,
          headers: c.req.raw.headers,
          resHeaders: opts.resHeaders,
          clientAddress: clientAddress(c, security.trustProxy),
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
  if (consoleDistDir) app.route('/', createConsoleRoutes({ distDir: consoleDistDir }));
  return app;
}

/** The error shape of the plain HTTP routes (as the attachment routes answer), request id included. */
function errorBody(c: Context, code: string, appCode: string, message: string) {
  return { error: { code, appCode, message, requestId: c.get('requestId') } };
}
