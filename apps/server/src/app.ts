import { trpcServer } from '@hono/trpc-server';
import { type ApiContext, type AppServices, appRouter, createApiContext } from '@tickets/api';
import { AppError } from '@tickets/core';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { pino } from 'pino';
import { errorJson } from './error-json';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { createAttachmentRoutes } from './routes/attachments';
import { createConsoleRoutes } from './routes/console';
import { createDocsRoutes } from './routes/docs';
import { createIndexRoutes, createSetupHelpRoutes } from './routes/index-page';
import { createMetricsRoutes } from './routes/metrics';
import { createProbeRoutes } from './routes/probes';
import {
  clientAddress,
  defaultHttpSecurity,
  type HttpSecurityOptions,
  refusesCrossSite,
  securityHeaders,
  strictCors,
  trpcBodyLimit,
} from './security/http-security';
import { serverVersion } from './version';

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
  /** GET /metrics, behind this bearer token; both unset (the default): no /metrics route at all. */
  metrics?: { source: Pick<Metrics, 'render' | 'contentType'>; token: string } | null;
  /** The built web console to serve at `/` (apps/web/dist); omitted: no console, the API only. */
  consoleDistDir?: string;
}

/** The options with their defaults filled in: what each part of the app is built from. */
type AppWiring = Required<Omit<AppOptions, 'consoleDistDir'>> & Pick<AppOptions, 'consoleDistDir'>;

/** The HTTP surface: tRPC at /trpc, health probes, the web console at /. No environment reads here (see env.ts). */
export function createApp({
  services,
  isDraining = () => false,
  logger = pino({ enabled: false }),
  security = defaultHttpSecurity,
  metrics = null,
  consoleDistDir,
}: AppOptions) {
  const wiring: AppWiring = { services, isDraining, logger, security, metrics, consoleDistDir };
  const app = new Hono();
  // Order matters: middleware runs in the order it is added, and every route below passes through it.
  guardEveryRequest(app, wiring);
  mountHttpRoutes(app, wiring);
  mountTrpc(app, wiring);
  if (consoleDistDir) app.route('/', createConsoleRoutes({ distDir: consoleDistDir }));
  return app;
}

/** Request ids, security headers, CORS, the request log, the error envelope and the CSRF check. */
function guardEveryRequest(app: Hono, { logger, security, isDraining }: AppWiring) {
  // A caller's own X-Request-Id would be written into our logs as if we had issued it (log spoofing):
  // it is taken only from a proxy we trust (which sets it), in a safe format; otherwise we make one.
  app.use(requestId({ headerName: security.trustProxy > 0 ? 'X-Request-Id' : '', limitLength: 128 }));
  app.use(securityHeaders());
  app.use(strictCors(security.allowedOrigins));
  app.use(logRequests(logger, isDraining));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    c.get('logger').error({ err: error }, 'unexpected error');
    return errorJson(c, error);
  });
  app.notFound((c) => errorJson(c, new AppError('ROUTE_NOT_FOUND', `Nothing is served at ${c.req.path}.`)));
  // One CSRF check for every state-changing route (tRPC mutations and the upload alike).
  app.use(refuseCrossSiteRequests(security.allowedOrigins));
}

/** Binds a logger to the request's id, and logs one line per request once it is answered. */
function logRequests(logger: Logger, isDraining: () => boolean): MiddlewareHandler {
  return async (c, next) => {
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
  };
}

function refuseCrossSiteRequests(allowedOrigins: HttpSecurityOptions['allowedOrigins']): MiddlewareHandler {
  return async (c, next) => {
    if (!refusesCrossSite(c, allowedOrigins)) return next();
    c.get('logger').warn({ origin: c.req.header('origin') ?? null }, 'cross-site request refused');
    return errorJson(
      c,
      new AppError('CROSS_SITE_REQUEST', 'Cross-site request refused: call from an allowed origin.'),
    );
  };
}

/** The routes outside tRPC: attachments, probes, docs, the first-run help and index, metrics. */
function mountHttpRoutes(app: Hono, { services, isDraining, metrics, consoleDistDir }: AppWiring) {
  app.route('/api/attachments', createAttachmentRoutes(services));
  app.route('/', createProbeRoutes({ isDatabaseReady: services.isDatabaseReady, isDraining }));
  app.route('/', createDocsRoutes(serverVersion));
  // The printed first-run link: the console's setup form when the console is served, else how to make the call.
  if (!consoleDistDir) app.route('/', createSetupHelpRoutes());
  // With the console, `/` is the console; without it, a JSON index of what this server offers.
  if (!consoleDistDir) app.route('/', createIndexRoutes(serverVersion));
  if (metrics) app.route('/', createMetricsRoutes(metrics.source, metrics.token));
}

/** tRPC at /trpc, behind its body limit and content-type check. */
function mountTrpc(app: Hono, { services, security, logger }: AppWiring) {
  app.use(
    '/trpc/*',
    trpcBodyLimit(security.maxTrpcBodyBytes, (c) =>
      errorJson(
        c,
        new AppError(
          'PAYLOAD_TOO_LARGE',
          `The request body is larger than ${security.maxTrpcBodyBytes} bytes.`,
        ),
      ),
    ),
  );
  // tRPC answers an unknown content type itself, before any context exists (so without a request id):
  // refused here instead, in the same envelope as every other error.
  app.post('/trpc/*', async (c, next) => {
    const contentType = c.req.header('content-type');
    if (contentType === undefined || /^application\/json\s*(;|$)/i.test(contentType)) return next();
    return errorJson(c, new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send tRPC calls as application/json.'));
  });
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
        } else if (error.code === 'SERVICE_UNAVAILABLE' && !isShutdownOfStream(error.cause)) {
          logger.warn({ requestId, procedure: path, err: error.cause ?? error }, 'procedure unavailable');
        }
      },
    }),
  );
}

/** A live stream ended by the drain: expected, and the drain itself is logged once. */
function isShutdownOfStream(cause: unknown): boolean {
  return cause instanceof AppError && cause.code === 'SHUTTING_DOWN';
}
