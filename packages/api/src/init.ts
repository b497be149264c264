import { AppError, type AppErrorCode } from '@tickets/core';
import { initTRPC } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODE_NUMBER } from '@trpc/server/rpc';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { ApiContext } from './context';

export interface ErrorData {
  /** Stable machine code (see AppErrorCode in @tickets/core); clients branch on this, never on messages. */
  appCode: AppErrorCode | TRPC_ERROR_CODE_KEY;
  /** For BAD_REQUEST: each invalid field with what is wrong with it. */
  issues?: Array<{ path: string; message: string }>;
  /** Quote it when reporting a problem: the server's logs carry the same id. */
  requestId?: string;
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
  transformer: superjson,
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
      ...(shape.data.path ? { path: shape.data.path } : {}),
      ...(ctx ? { requestId: ctx.requestId } : {}),
    };
    const message =
      error.code === 'INTERNAL_SERVER_ERROR'
        ? 'Internal server error.'
        : cause instanceof ZodError && issues
          ? formatIssues(issues)
          : shape.message;
    return { ...shape, message, data };
  },
});

/** A domain error about one field (`details.field`) is reported like a schema issue on that field. */
function fieldIssue(cause: unknown): ErrorData['issues'] {
  if (!(cause instanceof AppError) || typeof cause.details?.field !== 'string') return undefined;
  return [{ path: cause.details.field, message: cause.message }];
}

function formatIssues(issues: Array<{ path: string; message: string }>): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}
