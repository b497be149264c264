import { AppError } from '@tickets/core';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { pino } from 'pino';
import { errorJson } from './error-json';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { createMetricsRoutes } from './routes/metrics';
import { createProbeRoutes } from './routes/probes';
import { securityHeaders } from './security/http-security';

export interface WorkerAppOptions {
  isDatabaseReady(): Promise<boolean>;
  /** Set while the process drains after SIGTERM: /readyz answers 503. */
  isDraining?: () => boolean;
  logger?: Logger;
  /** GET /metrics behind this bearer token, as on an API process; null: no /metrics. */
  metrics?: { source: Pick<Metrics, 'render' | 'contentType'>; token: string } | null;
}

/**
 * The HTTP surface of a `worker` process: probes and metrics, nothing else. Every other path, the API's
 * included, answers 404 ROUTE_NOT_FOUND in the usual envelope: a balancer that sends users here is
 * misconfigured, and the answer says so rather than half-working.
 */
export function createWorkerApp({
  isDatabaseReady,
  isDraining = () => false,
  logger = pino({ enabled: false }),
  metrics = null,
}: WorkerAppOptions) {
  const app = new Hono();
  // Never from the caller: nothing in front of a worker sets it, and it would be written into the logs.
  app.use(requestId({ headerName: '' }));
  app.use(securityHeaders());
  app.onError((error, c) => {
    logger.error({ err: error, requestId: c.get('requestId') }, 'unexpected error');
    return errorJson(c, error);
  });
  app.notFound((c) =>
    errorJson(
      c,
      new AppError(
        'ROUTE_NOT_FOUND',
        `Nothing is served at ${c.req.path}: this process runs background work only (SERVER_ROLE=worker).`,
      ),
    ),
  );
  app.route('/', createProbeRoutes({ isDatabaseReady, isDraining, health: { role: 'worker' } }));
  if (metrics) app.route('/', createMetricsRoutes(metrics.source, metrics.token));
  return app;
}
