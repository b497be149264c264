import { errorResponse } from '@tickets/api';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error answered in the one envelope every route of the server uses (tRPC's; see errorResponse). */
export function errorJson(c: Context, error: unknown): Response {
  const { status, body } = errorResponse(error, c.get('requestId'));
  return c.json(body, status as ContentfulStatusCode);
}
