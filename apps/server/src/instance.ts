import type { Database } from '@tickets/db';
import { createApp } from './app';
import { createServices, createWorkerServices } from './compose';
import type { Env, ServerRole } from './env';
import type { Logger } from './logger';
import { createWorkerApp } from './worker-app';

/** One process of the server in its role, not yet listening. */
export interface Instance {
  role: ServerRole;
  /** The role's HTTP surface: the API and console, or a worker's probes and metrics. */
  fetch(request: Request): Response | Promise<Response>;
  db: Database['db'];
  /** Draining has begun: end what never finishes on its own (live streams). */
  drain(): void;
  /** Drains the background work (if this role runs it) and releases everything, in reverse order. */
  close(): Promise<void>;
}

/**
 * The composition root's one branch on SERVER_ROLE, shared by the process (server.ts) and the tests
 * that start a real instance (testing/composed-instance.ts): `all` and `api` build the API (and `all`
 * the background work beside it), `worker` only the background work.
 */
export async function composeInstance(
  env: Env,
  logger: Logger,
  isDraining: () => boolean = () => false,
): Promise<Instance> {
  if (env.role === 'worker') {
    const worker = await createWorkerServices(env, logger);
    const app = createWorkerApp({
      isDatabaseReady: worker.isDatabaseReady,
      isDraining,
      logger,
      metrics: env.metricsToken ? { source: worker.metrics, token: env.metricsToken } : null,
    });
    return { role: env.role, fetch: app.fetch, db: worker.db, drain: () => {}, close: worker.close };
  }
  const composition = await createServices(env, logger);
  const app = createApp({
    services: composition.services,
    isDraining,
    logger,
    security: env.http,
    metrics: env.metricsToken ? { source: composition.metrics, token: env.metricsToken } : null,
    consoleDistDir: env.webDistDir,
  });
  return {
    role: env.role,
    fetch: app.fetch,
    db: composition.services.db,
    drain: composition.drain,
    close: composition.close,
  };
}
