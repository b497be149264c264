import { Hono } from 'hono';

// GET / when the server runs without the web console (WEB_DIST_DIR pointing nowhere, an API-only
// deployment): where to go next, so a first visit is not a 404.
export function createIndexRoutes(version: string) {
  const routes = new Hono();
  routes.get('/', (c) =>
    c.json({
      name: 'Tickets API',
      version,
      docs: '/docs',
      openapi: '/openapi.json',
      trpc: '/trpc',
      health: '/healthz',
      readiness: '/readyz',
    }),
  );
  return routes;
}

// The first-run link the server prints points here. With the web console, the console's setup form
// answers it; a server without the console (API only) says instead how to make the call (the token
// stays the caller's: it is only echoed back into the example).
export function createSetupHelpRoutes() {
  const routes = new Hono();
  routes.get('/setup', (c) => {
    const token = c.req.query('token') ?? '<the token the server printed>';
    const body = JSON.stringify({
      json: { token, email: 'you@example.com', name: 'Your Name', password: 'at least 10 characters' },
    });
    return c.json({
      setup:
        'Create the first superadmin with auth.setup and the one-time token the server printed (it works once, and only while no superadmin exists). The answer signs you in: keep result.data.json.token as your bearer token.',
      docs: '/docs#auth.setup',
      example: `curl -s ${new URL(c.req.url).origin}/trpc/auth.setup -H 'content-type: application/json' -d '${body}'`,
    });
  });
  return routes;
}
