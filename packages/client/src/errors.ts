import type { AppRouter } from '@tickets/api';
import { TRPCClientError } from '@trpc/client';
import superjson from 'superjson';

type ErrorShape = NonNullable<TRPCClientError<AppRouter>['shape']>;
/** What every error from the server carries in `data`. @example if (isTicketsError(e)) log(e.data.requestId); */
export type TicketsErrorData = ErrorShape['data'];
/** The transport-level code (tRPC's, e.g. `NOT_FOUND`): several app codes share one. @example const code: TicketsErrorCode = 'NOT_FOUND'; */
export type TicketsErrorCode = TicketsErrorData['code'];
/** The stable machine code (e.g. `TICKET_NOT_FOUND`): branch on this, never on messages. @example const code: TicketsAppCode = 'VERSION_CONFLICT'; */
export type TicketsAppCode = TicketsErrorData['appCode'];

/**
 * An error answered by the server, from a procedure or from the attachment routes alike, with its codes.
 * `C` narrows `data.code` or `data.appCode` once `isTicketsError` has checked it.
 *
 * @example
 * function retryable(error: TicketsError) {
 *   return error.data.appCode === 'VERSION_CONFLICT' || error.data.code === 'SERVICE_UNAVAILABLE';
 * }
 */
export type TicketsError<C extends TicketsErrorCode | TicketsAppCode = TicketsErrorCode | TicketsAppCode> =
  TRPCClientError<AppRouter> & {
    // A tRPC code narrows `code`; the server only uses one as an app code for errors of that same code.
    readonly data: TicketsErrorData & (C extends TicketsErrorCode ? { code: C } : { appCode: C });
  };

/**
 * True when `error` came from the server (not a network failure), optionally with this tRPC code
 * (`'NOT_FOUND'`) or app code (`'TICKET_NOT_FOUND'`); narrows `error.data` accordingly.
 *
 * @example
 * try {
 *   await client.tickets.get.query({ id });
 * } catch (error) {
 *   if (isTicketsError(error, 'NOT_FOUND')) return null;
 *   if (isTicketsError(error, 'VALIDATION_FAILED')) console.log(error.data.issues);
 *   throw error;
 * }
 */
export function isTicketsError<
  C extends TicketsErrorCode | TicketsAppCode = TicketsErrorCode | TicketsAppCode,
>(error: unknown, code?: C): error is TicketsError<C> {
  if (!(error instanceof TRPCClientError)) return false;
  const data = (error as TRPCClientError<AppRouter>).data;
  if (!data || typeof data.appCode !== 'string') return false;
  return code === undefined || data.code === code || data.appCode === code;
}

/**
 * Every route of the server (the attachment routes included) answers errors in tRPC's envelope,
 * `{ error: <superjson of the error shape> }`: read back exactly as tRPC's links read it.
 */
export async function toTicketsError(response: Response): Promise<TicketsError> {
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  const shape = body?.error
    ? superjson.deserialize(body.error as Parameters<typeof superjson.deserialize>[0])
    : null;
  if (isErrorShape(shape)) {
    return TRPCClientError.from<AppRouter>({ error: shape }, { meta: { response } }) as TicketsError;
  }
  // Not from our server (a proxy's error page, say): still a typed error, classified by the status.
  const message = `The server answered ${response.status}.`;
  const data: TicketsErrorData = {
    code: 'INTERNAL_SERVER_ERROR',
    httpStatus: response.status,
    appCode: 'INTERNAL_SERVER_ERROR',
  };
  return TRPCClientError.from<AppRouter>(
    { error: { message, code: -32603, data } },
    { meta: { response } },
  ) as TicketsError;
}

function isErrorShape(value: unknown): value is ErrorShape {
  if (value === null || typeof value !== 'object') return false;
  const { message, code, data } = value as Partial<ErrorShape>;
  return typeof message === 'string' && typeof code === 'number' && typeof data?.appCode === 'string';
}
