import { isTicketsError, type TicketsAppCode, type TicketsErrorCode } from '@tickets/client';
import { CliError, type ExitCode, exitCodes } from './errors';

export interface Failure {
  exitCode: ExitCode;
  message: string;
  /** The server's stable code, when the server answered. */
  appCode?: TicketsAppCode;
  hint?: string;
}

const hintsByAppCode: Partial<Record<TicketsAppCode, string>> = {
  UNAUTHENTICATED: 'Your session has ended: run `tickets login` again.',
  INVALID_CREDENTIALS: 'Check the e-mail and the password.',
  FORBIDDEN: 'Your role may not do this.',
  TICKET_NOT_FOUND: 'Check the id with `tickets list`: the ticket does not exist or is not visible to you.',
  ATTACHMENT_NOT_FOUND: 'The attachment does not exist or is not visible to you.',
  INVALID_ASSIGNEE: 'Tickets can only be assigned to active staff of their workspace.',
  TICKET_CLOSED: 'Reopen the ticket first.',
  VERSION_CONFLICT: 'Someone changed the ticket meanwhile: run the command again.',
  RATE_LIMITED: 'Too many requests: wait a moment and retry.',
  DATABASE_UNAVAILABLE: 'The server is briefly unavailable: retry shortly.',
  SHUTTING_DOWN: 'The server is restarting: retry shortly.',
  PAYLOAD_TOO_LARGE: 'The file is larger than the server accepts.',
};

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE']);

/**
 * When the request never got an answer (nothing listens, DNS failed, the connection dropped): the most
 * telling code found along the causes ('' when there is none), else null.
 */
function networkFailureCode(error: unknown): string | null {
  let found: string | null = null;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (networkCodes.has(code) || code.startsWith('UND_ERR_'))) return code;
    if (cause instanceof TypeError && cause.message === 'fetch failed') found = '';
    cause = cause.cause;
  }
  return found;
}

function exitCodeOf(code: TicketsErrorCode): ExitCode {
  if (code === 'UNAUTHORIZED') return exitCodes.auth;
  if (code === 'NOT_FOUND' || code === 'FORBIDDEN') return exitCodes.notFound;
  return exitCodes.api;
}

/** What to tell the user, and which exit code, for anything a command threw. */
export function describeFailure(error: unknown, serverUrl?: string): Failure {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (isTicketsError(error)) {
    const { code, appCode, requestId } = error.data;
    const hint =
      hintsByAppCode[appCode] ??
      (code === 'INTERNAL_SERVER_ERROR' && requestId
        ? `Quote request id ${requestId} when reporting this.`
        : undefined);
    return {
      exitCode: exitCodeOf(code),
      message: `${error.message} (${appCode})`,
      appCode,
      ...(hint ? { hint } : {}),
    };
  }
  const networkCode = networkFailureCode(error);
  if (networkCode !== null) {
    return {
      exitCode: exitCodes.network,
      message: `Cannot reach ${serverUrl ?? 'the server'}${networkCode ? ` (${networkCode})` : ''}.`,
      hint: 'Check the URL (`tickets whoami` shows it) and that the server is running.',
    };
  }
  return { exitCode: exitCodes.api, message: error instanceof Error ? error.message : String(error) };
}
