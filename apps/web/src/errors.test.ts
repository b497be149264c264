import type { AppRouter, TicketsAppCode, TicketsErrorCode } from '@tickets/client';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { errorText } from './errors';

/** An error as the SDK raises it for a server answer. */
function serverError(code: TicketsErrorCode, appCode: TicketsAppCode, extra: Record<string, unknown> = {}) {
  return new TRPCClientError<AppRouter>('server message', {
    result: {
      error: { message: 'server message', code: -32600, data: { code, appCode, httpStatus: 400, ...extra } },
    },
  });
}

describe('errors in words', () => {
  it('given a domain code, then its sentence is shown, not the server message', () => {
    expect(errorText(serverError('CONFLICT', 'VERSION_CONFLICT'))).toBe(
      'Someone else changed this ticket since you opened it.',
    );
    expect(errorText(serverError('UNAUTHORIZED', 'INVALID_CREDENTIALS'))).toBe('Wrong e-mail or password.');
  });

  it('given invalid input, then the fields at fault are named', () => {
    const error = serverError('BAD_REQUEST', 'VALIDATION_FAILED', {
      issues: [{ path: 'title', message: 'Too big: expected string to have <=200 characters' }],
    });
    expect(errorText(error)).toBe(
      'Some fields are not valid. title: Too big: expected string to have <=200 characters.',
    );
  });

  it('given a tRPC code used as the app code, then the sentence of its family is shown', () => {
    expect(errorText(serverError('FORBIDDEN', 'FORBIDDEN'))).toBe('You are not allowed to do this.');
    expect(errorText(serverError('PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE'))).toBe('The file is too large.');
  });

  it('given an internal error, then the request id is quoted; given no answer, then a network failure is said', () => {
    expect(errorText(serverError('INTERNAL_SERVER_ERROR', 'INTERNAL', { requestId: 'req-1' }))).toBe(
      'Something went wrong on the server. (reference req-1)',
    );
    expect(errorText(new TypeError('Failed to fetch'))).toBe(
      'The server could not be reached. Check your connection and try again.',
    );
  });
});
