import { DEVICE_COOKIE, DEVICE_LIFETIME_MS } from '@tickets/core';
import { parse, serialize } from 'cookie';
import { type AppServices, type ServicesHandle, toServicesHandle } from './services';

export const SESSION_COOKIE = 'tickets_session';

/**
 * Per-request context. Kept small and free of server types: it is part of AppRouter's type.
 * (A `type` alias, not an interface: @hono/trpc-server's createContext rejects interfaces.)
 */
export type ApiContext = {
  requestId: string;
  services: ServicesHandle;
  /** The session token from `Authorization: Bearer` or, failing that, the session cookie. */
  sessionToken: string | null;
  tokenSource: 'bearer' | 'cookie' | null;
  /** The device cookie of an earlier sign-in (see recognisedDevice), if the browser sent one. */
  deviceCookie: string | null;
  /** Headers to add to the response (Set-Cookie). */
  resHeaders: Headers;
  /** The client's address as the server trusts it (socket peer, or per TRUST_PROXY), for abuse limits. */
  clientAddress: string | null;
};

export interface CreateContextOptions {
  requestId: string;
  services: AppServices;
  headers: Headers;
  resHeaders: Headers;
  clientAddress?: string | null;
}

export function createApiContext({
  requestId,
  services,
  headers,
  resHeaders,
  clientAddress = null,
}: CreateContextOptions): ApiContext {
  // Parsed once per request: the session token and the device cookie both come from it.
  const cookies = parse(headers.get('cookie') ?? '');
  const { token, source } = sessionTokenOf(headers, cookies);
  return {
    requestId,
    services: toServicesHandle(services),
    sessionToken: token,
    tokenSource: source,
    deviceCookie: cookies[DEVICE_COOKIE] ?? null,
    resHeaders,
    clientAddress,
  };
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    expires: expiresAt,
    secure,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0, secure });
}

/** The device cookie a successful sign-in leaves (a year; see recognisedDevice). */
export function deviceCookie(token: string, secure: boolean): string {
  return serialize(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: DEVICE_LIFETIME_MS / 1000,
    secure,
  });
}

/** Where a request's session token came from: programs send a bearer token, browsers the cookie. */
export interface SessionToken {
  token: string | null;
  source: 'bearer' | 'cookie' | null;
}

/** The session token of a request: `Authorization: Bearer` first, then the session cookie. */
export function sessionTokenOf(
  headers: Headers,
  cookies: Record<string, string | undefined> = parse(headers.get('cookie') ?? ''),
): SessionToken {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];
  if (bearer) return { token: bearer, source: 'bearer' };
  const cookie = cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, source: 'cookie' } : { token: null, source: null };
}
