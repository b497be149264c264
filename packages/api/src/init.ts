import { AppError, type AppErrorCode } from '@tickets/core';
import { initTRPC, type TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODE_NUMBER } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { ApiContext } from './context';
import { transformer } from './transformer';

export interface ErrorData {
  /** Stable machine code (see AppErrorCode in @tickets/core); clients branch on this, never on messages. */
  appCode: AppErrorCode | TRPC_ERROR_CODE_KEY;
  /** For BAD_REQUEST: each invalid field with what is wrong with it. */
  issues?: Array<{ path: string; message: string }>;
  /** Quote it when reporting a problem: the server's logs carry the same id. */
  requestId?: string;
  /** For TOO_MANY_REQUESTS: seconds to wait before retrying (also in the Retry-After header). */
  retryAfterSeconds?: number;
}

/**
 * What every error sent to clients looks like. Named (rather than inferred from the formatter) so that
 * AppRouter's declarations, and so the SDK's, refer to it once instead of repeating it per procedure.
 */
export interface ErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  data: ErrorData & { code: TRPC_ERROR_CODE_KEY; httpStatus: number; path?: string };
}

/** Who may call a procedure: set by the base procedures (procedures/base.ts), read by the API reference. */
export type ProcedureAccess = 'public' | 'authed' | 'staff' | 'admin' | 'superadmin';

/**
 * What each procedure says about itself. tRPC merges `.meta()` calls shallowly along the builder chain,
 * so the base procedure's `access` reaches every procedure built on it, and each procedure file adds its
 * own summary and the domain errors it may answer.
 */
export interface ProcedureMeta {
  access?: ProcedureAccess;
  /** One sentence for the API reference (docs/API.md, /docs). */
  summary?: string;
  /** Domain error codes (data.appCode) this procedure may answer besides the ones every call may. */
  errors?: readonly AppErrorCode[];
}

const withMeta = initTRPC.context<ApiContext>().meta<ProcedureMeta>();

export const t = withMeta.create({
  transformer,
  sse: {
    // Proxies and load balancers cut connections that stay silent (often after 60 s): a comment every
    // 15 s keeps an idle notification stream open, and a client that hears nothing for 45 s reconnects
    // (resuming from its last event id) instead of waiting on a dead socket.
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 45_000 },
  },
  errorFormatter({ shape, error, ctx }): ErrorShape {
    const cause = error.cause;
    const appCode =
      cause instanceof ZodError ? 'VALIDATION_FAILED' : cause instanceof AppError ? cause.code : error.code;
    const issues =
      cause instanceof ZodError
        ? cause.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
        : fieldIssue(cause);
    // The shape tRPC built may carry a stack and, for unexpected errors, internal text; we rebuild `data`
    // from scratch so only what is listed here reaches clients.
    const data: ErrorShape['data'] = {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      appCode,
      ...(issues ? { issues } : {}),
      ...retryAfterOf(cause),
      ...(shape.data.path ? { path: shape.data.path } : {}),
      ...(ctx ? { requestId: ctx.requestId } : {}),
    };
    return { ...shape, message: clientMessage(error, issues), data };
  },
});

/**
 * The message a client sees. Ours (domain errors, schema issues, tRPC's own words) pass as they are;
 * an error thrown by the engine or a library while reading the request ("Unexpected token…", "Maximum
 * call stack size exceeded") is replaced by words of ours: its text tells a client nothing useful and
 * tells an attacker what runs inside.
 */
function clientMessage(error: TRPCError, issues: ErrorData['issues']): string {
  if (error.code === 'INTERNAL_SERVER_ERROR') return 'Internal server error.';
  const cause = error.cause;
  if (cause instanceof ZodError && issues) return formatIssues(issues);
  if (cause === undefined || cause instanceof AppError) return error.message;
  return error.code === 'BAD_REQUEST'
    ? 'The request could not be read: send the input as tRPC JSON (superjson).'
    : 'The request could not be handled.';
}

/**
 * A domain error about fields reports them like schema issues: its own list (`details.issues`, as the
 * upload form's checks give), or the one field it names (`details.field`).
 */
function fieldIssue(cause: unknown): ErrorData['issues'] {
  if (!(cause instanceof AppError)) return undefined;
  const { issues, field } = cause.details ?? {};
  if (Array.isArray(issues)) return issues as NonNullable<ErrorData['issues']>;
  return typeof field === 'string' ? [{ path: field, message: cause.message }] : undefined;
}

function retryAfterOf(cause: unknown): Pick<ErrorData, 'retryAfterSeconds'> {
  const seconds = cause instanceof AppError ? cause.details?.retryAfterSeconds : undefined;
  return typeof seconds === 'number' ? { retryAfterSeconds: seconds } : {};
}

function formatIssues(issues: Array<{ path: string; message: string }>): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}
