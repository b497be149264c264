import { AppError, type ErrorKind } from '@tickets/core';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

// Every kind maps to one tRPC code; `satisfies` makes a new kind fail to compile until it is mapped.
const trpcCodeByKind = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<ErrorKind, TRPC_ERROR_CODE_KEY>;

// Connection-level failures (server restarting, backend terminated, pool exhausted) are an outage,
// not a bug: they answer 503 so clients retry, instead of a 500.
const unavailableErrnos = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableErrnos.has(code) || /^(08|57P0)/.test(code))) return true;
  return /timeout exceeded when trying to connect|Connection terminated|not queryable|Client was closed/i.test(
    error.message,
  );
}

/** Turns anything thrown below the transport into the TRPCError clients see. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) {
    if (error.cause instanceof AppError) return fromAppError(error.cause);
    // tRPC wraps whatever a procedure throws as INTERNAL_SERVER_ERROR; classify the original instead.
    if (error.code === 'INTERNAL_SERVER_ERROR' && error.cause) return toTRPCError(error.cause);
    return error;
  }
  if (error instanceof AppError) return fromAppError(error);
  if (isDatabaseUnavailable(error)) {
    return fromAppError(
      new AppError('DATABASE_UNAVAILABLE', 'The service is briefly unavailable; retry shortly.'),
    );
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error });
}

function fromAppError(error: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeByKind[error.kind], message: error.message, cause: error });
}
