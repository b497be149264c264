import { Hono } from 'hono';
import { serverVersion } from '../version';

export interface ProbeOptions {
  isDatabaseReady(): Promise<boolean>;
  /** Set while the process drains after SIGTERM: /readyz answers 503 so load balancers move away. */
  isDraining(): boolean;
  /** More for /healthz to say (a worker names its role). */
  health?: Record<string, unknown>;
}

/** GET /healthz (the process answers) and GET /readyz (it can serve: not draining, database up). */
export function createProbeRoutes({ isDatabaseReady, isDraining, health = {} }: ProbeOptions) {
  const routes = new Hono();
  routes.get('/healthz', (c) => c.json({ ok: true, version: serverVersion, ...health }));
  routes.get('/readyz', async (c) => {
    const ready = !isDraining() && (await isDatabaseReady());
    return c.json({ ok: ready }, ready ? 200 : 503);
  });
  return routes;
}
