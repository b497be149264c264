import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { Hono } from 'hono';
import { compress } from 'hono/compress';

export interface ConsoleOptions {
  /** The web console's build output (apps/web/dist): index.html and the hashed files under assets/. */
  distDir: string;
}

/**
 * The console's pages: a stricter policy than the API's `default-src 'none'`, since these pages do run
 * scripts, but only our own files: no inline script or style, no other origin, calls to this origin only.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

// Paths the server owns: an unknown one there is a 404 from the API, never the console's page (so a
// /metrics switched off stays a 404).
const apiPrefixes = ['/trpc', '/api', '/healthz', '/readyz', '/metrics', '/docs', '/openapi.json'];

/**
 * Serves the built console at `/` on the API's origin (so the session cookie, the CSRF check and the
 * CSP hold unchanged): hashed files under /assets/ are cached for a year as immutable; every other path
 * answers index.html, never cached, and the console's router takes it from there.
 */
export function createConsoleRoutes({ distDir }: ConsoleOptions) {
  const root = resolve(distDir);
  const routes = new Hono();
  routes.use(compress());
  routes.on(['GET', 'HEAD'], '*', async (c) => {
    const path = c.req.path;
    if (apiPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return c.notFound();
    c.header('Content-Security-Policy', consoleContentSecurityPolicy);

    const file = await staticFile(root, path);
    if (file) {
      c.header('Content-Type', contentTypes[extname(file)] ?? 'application/octet-stream');
      // A hashed name changes with its content, so it can be kept forever; anything else is revalidated.
      c.header(
        'Cache-Control',
        path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      return c.body(await readFile(file));
    }
    // A missing hashed file is an old page asking for a removed build: a 404, not the page itself.
    if (path.startsWith('/assets/')) return c.notFound();

    const index = await readFile(join(root, 'index.html')).catch(() => null);
    c.header('Cache-Control', 'no-cache');
    if (!index) return c.html(notBuiltPage, 503);
    return c.html(index.toString('utf8'));
  });
  return routes;
}

/** The file under `root` this URL path names, if it is a regular file there (never outside `root`). */
async function staticFile(root: string, urlPath: string): Promise<string | null> {
  if (urlPath === '/' || urlPath.endsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  // Path traversal: `..` segments and NUL bytes never reach the file system.
  if (decoded.includes('\0') || decoded.split('/').includes('..')) return null;
  const candidate = resolve(root, `.${decoded}`);
  if (!candidate.startsWith(root + sep)) return null;
  const info = await stat(candidate).catch(() => null);
  return info?.isFile() ? candidate : null;
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>
<body><h1>The web console has not been built</h1>
<p>The API runs (<a href="/healthz">/healthz</a>). To serve the console here, build it and reload:</p>
<pre>pnpm --filter @tickets/web build</pre>
<p><code>scripts/start.sh</code> does this for you. The server looks for it in <code>WEB_DIST_DIR</code>
(default <code>apps/web/dist</code>).</p></body></html>
`;
