import { isTicketsError, type TicketsAppCode, type TicketsErrorCode } from '@tickets/client';

// Every domain code the API can answer, in words (the type makes a new code fail the build until it
// has its sentence). tRPC's own codes fall back to the sentence of their family below.
const appMessages: Record<Exclude<TicketsAppCode, TicketsErrorCode>, string> = {
  VALIDATION_FAILED: 'Some fields are not valid.',
  INVALID_CURSOR: 'This list moved on; reload the page.',
  INVALID_TRANSITION: 'The ticket cannot move to that status from its current one.',
  TICKET_CLOSED: 'This ticket is closed. Reopen it to reply.',
  TICKET_ALREADY_CLOSED: 'This ticket is already closed.',
  TICKET_NOT_CLOSED: 'Only a closed ticket can be reopened.',
  INVALID_ASSIGNEE: 'That person cannot be assigned: pick an active staff member of this workspace.',
  INVALID_REQUESTER: 'That requester is not in this workspace.',
  FIELD_NOT_ALLOWED: 'You may not change that field.',
  WORKSPACE_REQUIRED: 'Choose a workspace first.',
  SIGN_UP_DISABLED: 'This workspace does not allow signing up. Ask its administrator for an account.',
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  SESSION_ENDED: 'Your session ended (you signed out elsewhere, or your account changed). Sign in again.',
  SETUP_TOKEN_INVALID:
    'This setup link is not valid any more: it was used, or an administrator already exists.',
  INVALID_CREDENTIALS: 'Wrong e-mail or password.',
  CROSS_SITE_REQUEST: 'The request was refused as cross-site. Reload the console and try again.',
  ROUTE_NOT_FOUND: 'Nothing is served at this address.',
  WORKSPACE_NOT_FOUND: 'No such workspace.',
  USER_NOT_FOUND: 'No such user.',
  TICKET_NOT_FOUND: 'No such ticket, or you may not see it.',
  MESSAGE_NOT_FOUND: 'No such message.',
  ATTACHMENT_NOT_FOUND: 'No such attachment, or you may not see it.',
  NOTIFICATION_NOT_FOUND: 'No such notification.',
  VERSION_CONFLICT: 'Someone else changed this ticket since you opened it.',
  EMAIL_TAKEN: 'An account with that e-mail already exists.',
  WORKSPACE_SLUG_TAKEN: 'That workspace address is taken; choose another.',
  IDEMPOTENCY_KEY_REUSED: 'This request was already sent with different content.',
  RATE_LIMITED: 'Too many attempts. Wait a little and try again.',
  TOO_MANY_STREAMS: 'Too many open tabs or programs are following your notifications; close one.',
  DATABASE_UNAVAILABLE: 'The service is briefly unavailable. Try again in a moment.',
  SHUTTING_DOWN: 'The server is restarting. Try again in a moment.',
  INTERNAL: 'Something went wrong on the server.',
  WEBHOOK_URL_REFUSED: 'That address cannot receive webhooks: it must be public (and https unless allowed).',
  WEBHOOK_NOT_FOUND: 'No such webhook endpoint.',
  WEBHOOK_DELIVERY_NOT_FOUND: 'No such webhook delivery.',
};

const codeMessages: Partial<Record<TicketsErrorCode, string>> = {
  BAD_REQUEST: 'The request was not valid.',
  UNAUTHORIZED: 'Sign in to continue.',
  FORBIDDEN: 'You are not allowed to do this.',
  NOT_FOUND: 'Not found, or you may not see it.',
  CONFLICT: 'This conflicts with a newer change.',
  PAYLOAD_TOO_LARGE: 'The file is too large.',
  TOO_MANY_REQUESTS: 'Too many requests. Wait a little and try again.',
  SERVICE_UNAVAILABLE: 'The service is briefly unavailable. Try again in a moment.',
};

/** A sentence for any error: the server's typed code in words (with the fields at fault), or a network failure. */
export function errorText(error: unknown): string {
  if (!isTicketsError(error)) {
    return 'The server could not be reached. Check your connection and try again.';
  }
  const { appCode, code, issues, requestId } = error.data;
  const sentence =
    (appCode in appMessages ? appMessages[appCode as keyof typeof appMessages] : undefined) ??
    codeMessages[code] ??
    'Something went wrong on the server.';
  const fields = issues?.length
    ? ` ${issues.map((issue) => `${issue.path || 'input'}: ${issue.message}`).join('; ')}.`
    : '';
  const reference = code === 'INTERNAL_SERVER_ERROR' && requestId ? ` (reference ${requestId})` : '';
  return `${sentence}${fields}${reference}`;
}
