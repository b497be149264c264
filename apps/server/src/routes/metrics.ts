import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Metrics } from '../metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics for Prometheus, behind `Authorization: Bearer <METRICS_TOKEN>`: metrics name procedures,
 * volumes and backlogs, which is more than an anonymous visitor should learn. Mounted only when a token
 * is configured, so without one the path answers 404 like any unknown path.
 */
export function createMetricsRoutes(metrics: Pick<Metrics, 'render' | 'contentType'>, token: string) {
  const expected = digest(token);
  const routes = new Hono();
  routes.get('/metrics', async (c) => {
    const presented = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    // Constant-time, over digests of equal length: the comparison tells nothing about a near miss.
    if (!timingSafeEqual(digest(presented), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return c.json(
        { error: { code: 'UNAUTHORIZED', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' } },
        401,
      );
    }
    return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
  });
  return routes;
}
