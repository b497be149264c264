/**
 * The one domain error. Every failure a caller can act on has a stable code in this closed union;
 * the transports (tRPC, the attachment HTTP route) map its kind once, exhaustively.
 */
export type ErrorKind =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export const appErrorKinds = {
  VALIDATION_FAILED: 'BAD_REQUEST',
  INVALID_CURSOR: 'BAD_REQUEST',
  INVALID_TRANSITION: 'BAD_REQUEST',
  TICKET_CLOSED: 'BAD_REQUEST',
  TICKET_ALREADY_CLOSED: 'BAD_REQUEST',
  TICKET_NOT_CLOSED: 'BAD_REQUEST',
  INVALID_ASSIGNEE: 'BAD_REQUEST',
  INVALID_REQUESTER: 'BAD_REQUEST',
  FIELD_NOT_ALLOWED: 'BAD_REQUEST',
  WORKSPACE_REQUIRED: 'BAD_REQUEST',
  WEBHOOK_URL_REFUSED: 'BAD_REQUEST',
  SIGN_UP_DISABLED: 'FORBIDDEN',
  SETUP_TOKEN_INVALID: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  SESSION_ENDED: 'UNAUTHORIZED',
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  CROSS_SITE_REQUEST: 'FORBIDDEN',
  ROUTE_NOT_FOUND: 'NOT_FOUND',
  WORKSPACE_NOT_FOUND: 'NOT_FOUND',
  USER_NOT_FOUND: 'NOT_FOUND',
  TICKET_NOT_FOUND: 'NOT_FOUND',
  MESSAGE_NOT_FOUND: 'NOT_FOUND',
  ATTACHMENT_NOT_FOUND: 'NOT_FOUND',
  NOTIFICATION_NOT_FOUND: 'NOT_FOUND',
  WEBHOOK_NOT_FOUND: 'NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND: 'NOT_FOUND',
  VERSION_CONFLICT: 'CONFLICT',
  EMAIL_TAKEN: 'CONFLICT',
  WORKSPACE_SLUG_TAKEN: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  TOO_MANY_STREAMS: 'TOO_MANY_REQUESTS',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  SHUTTING_DOWN: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<string, ErrorKind>;

export type AppErrorCode = keyof typeof appErrorKinds;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly kind: ErrorKind;
  /** Safe to show to the caller: which field, which allowed values. Never internals. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.kind = appErrorKinds[code];
    this.details = details;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
