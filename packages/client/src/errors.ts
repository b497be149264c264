import type { AppRouter } from '@tickets/api';
import { TRPCClientError } from '@trpc/client';

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

// JSON-RPC numbers of the tRPC codes the attachment routes answer (tRPC's shape carries both).
const jsonRpcCodes: Partial<Record<TicketsErrorCode, ErrorShape['code']>> = {
  BAD_REQUEST: -32600,
  UNAUTHORIZED: -32001,
  FORBIDDEN: -32003,
  NOT_FOUND: -32004,
  CONFLICT: -32009,
  PAYLOAD_TOO_LARGE: -32013,
  TOO_MANY_REQUESTS: -32029,
  SERVICE_UNAVAILABLE: -32603,
  INTERNAL_SERVER_ERROR: -32603,
};

interface RouteErrorBody {
  error?: {
    code?: TicketsErrorCode;
    appCode?: TicketsAppCode;
    message?: string;
    issues?: Array<{ path: string; message: string }>;
    requestId?: string;
  };
}

/** The attachment routes answer `{ error: { code, appCode, message } }`: the same typed error as tRPC's. */
export async function toTicketsError(response: Response): Promise<TicketsError> {
  const body = (await response.json().catch(() => ({}))) as RouteErrorBody;
  const code = body.error?.code ?? 'INTERNAL_SERVER_ERROR';
  const message = body.error?.message ?? `The server answered ${response.status}.`;
  const data: TicketsErrorData = {
    code,
    httpStatus: response.status,
    appCode: body.error?.appCode ?? code,
    ...(body.error?.issues ? { issues: body.error.issues } : {}),
    ...(body.error?.requestId ? { requestId: body.error.requestId } : {}),
  };
  return new TRPCClientError<AppRouter>(message, {
    result: { error: { message, code: jsonRpcCodes[code] ?? -32603, data } },
    meta: { response },
  }) as TicketsError;
}
