import { apiReferenceHtml, docsStylesheet, openApiDocument } from '@tickets/api';
import { Hono } from 'hono';

// The page has no script and one local stylesheet: nothing loads from another host (the server may run
// with no internet), and this policy allows exactly that much.
const docsPolicy =
  "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** GET /docs (the API reference, rendered here), /docs/style.css and /openapi.json. */
export function createDocsRoutes(version: string) {
  // Rendered once, on first request: the router does not change while the process runs.
  let html: string | undefined;
  let openApi: string | undefined;
  const routes = new Hono();
  routes.get('/docs', (c) => {
    html ??= apiReferenceHtml();
    c.header('Content-Security-Policy', docsPolicy);
    return c.html(html);
  });
  routes.get('/docs/style.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(docsStylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  routes.get('/openapi.json', (c) => {
    openApi ??= JSON.stringify(openApiDocument({ version }));
    return c.body(openApi, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
  return routes;
}
