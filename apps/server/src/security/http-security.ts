import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';

/** The HTTP-level defences' settings (env.ts reads them; tests pass their own). */
export interface HttpSecurityOptions {
  /**
   * Origins (scheme://host[:port]) whose pages may call us with the browser's cookies: CORS with
   * credentials is granted to exactly these, and state-changing requests from them pass the cross-site
   * check. Empty: same origin only, and no CORS at all.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * How many reverse proxies in front of us append to X-Forwarded-For. 0: the header is ignored and the
   * socket's peer is the client (a client can write any X-Forwarded-For it likes).
   */
  readonly trustProxy: number;
  /** Largest /trpc request body; larger ones answer 413 before tRPC parses anything. */
  readonly maxTrpcBodyBytes: number;
  /** Most calls in one batched tRPC request. */
  readonly maxBatchSize: number;
}

export const defaultHttpSecurity: HttpSecurityOptions = {
  allowedOrigins: [],
  trustProxy: 0,
  maxTrpcBodyBytes: 1024 * 1024,
  maxBatchSize: 20,
};

/** The client's address: the socket's peer, or the entry `trustProxy` hops from the right of X-Forwarded-For. */
export function clientAddress(c: Context, trustProxy: number): string | null {
  const peer = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket.remoteAddress ?? null;
  if (trustProxy <= 0) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Entries left of what our own proxies appended were written by the client: never trust those.
  // Fewer entries than proxies: the request did not come through them all, so no entry is ours.
  return forwarded.length >= trustProxy ? (forwarded[forwarded.length - trustProxy] ?? peer) : peer;
}

/**
 * True for a request a browser sent on behalf of a page of another, non-allowed origin. Browsers send
 * Sec-Fetch-Site (all current ones) and Origin (on every cross-origin POST); a request with neither
 * comes from a program, not from a page riding on the user's cookies.
 */
export function isCrossSiteRequest(c: Context, allowedOrigins: readonly string[]): boolean {
  const fetchSite = c.req.header('sec-fetch-site');
  if (fetchSite === 'same-origin' || fetchSite === 'none') return false;
  const origin = c.req.header('origin');
  if (origin) {
    if (allowedOrigins.includes(origin)) return false;
    // Host, not the full origin: behind a TLS-terminating proxy the request URL's scheme is http.
    return !URL.canParse(origin) || new URL(origin).host !== c.req.header('host');
  }
  return fetchSite !== undefined;
}

const isBearer = (c: Context) => /^Bearer\s+\S+$/i.test(c.req.header('authorization') ?? '');
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request that would ride on the browser's cookies (anything not carrying a
 * bearer token, which a browser never adds by itself) must come from our own origin or an allowed one.
 * Covers every content type, including the form and text/plain bodies a page can send cross-site
 * without a CORS preflight. tRPC queries are GET and change nothing, so they need no check.
 */
export function refusesCrossSite(c: Context, allowedOrigins: readonly string[]): boolean {
  return !safeMethods.has(c.req.method) && !isBearer(c) && isCrossSiteRequest(c, allowedOrigins);
}

/** Security headers on every response; an attachment download keeps its own stricter policy. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    overwrite: false,
    // An API: nothing here is meant to render, frame or run scripts.
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    referrerPolicy: 'no-referrer',
  });
}

/** CORS for the allowed origins only (with credentials); other origins get no CORS header at all. */
export function strictCors(allowedOrigins: readonly string[]): MiddlewareHandler {
  const grant = cors({
    origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
    credentials: true,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: [
      'content-type',
      'authorization',
      'trpc-accept',
      'x-trpc-source',
      'last-event-id',
      'idempotency-key',
    ],
    exposeHeaders: ['x-request-id', 'retry-after', 'content-disposition'],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && allowedOrigins.includes(origin)) return grant(c, next);
    await next();
  };
}

/** 413 before tRPC reads a body larger than the limit (Content-Length or streamed, whichever shows it). */
export function trpcBodyLimit(maxSize: number, onTooLarge: (c: Context) => Response): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: onTooLarge });
}
