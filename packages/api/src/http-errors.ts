import { getTRPCErrorShape } from '@trpc/server';
import type { ApiContext } from './context';
import { toTRPCError } from './errors';
import type { ErrorShape } from './init';
import { t } from './init';
import { transformer } from './transformer';

/** What an error answer of any route is: tRPC's error envelope, as /trpc itself sends it. */
export interface ErrorResponse {
  status: number;
  body: { error: ReturnType<typeof transformer.output.serialize> };
}

/**
 * The one error envelope of every HTTP answer the server gives, for tRPC's guards (body limit, content
 * type, cross-site check) and the plain routes beside it (attachments) alike: the shape the router's own
 * errorFormatter builds, with `data.appCode` and `data.requestId`, serialised as tRPC serialises errors.
 * Clients (the SDK) read every error the same way, and nothing internal is added on the way.
 */
export function errorResponse(error: unknown, requestId: string): ErrorResponse {
  const shape = getTRPCErrorShape({
    config: t._config,
    error: toTRPCError(error),
    type: 'unknown',
    path: undefined,
    input: undefined,
    // The formatter reads only the request id from the context.
    ctx: { requestId } as ApiContext,
  }) as ErrorShape;
  return { status: shape.data.httpStatus, body: { error: transformer.output.serialize(shape) } };
}
