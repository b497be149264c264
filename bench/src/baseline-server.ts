import { serve } from '@hono/node-server';
import { trpcServer } from '@hono/trpc-server';
import { ticketRowColumns } from '@tickets/db';
import { initTRPC } from '@trpc/server';
import { Hono } from 'hono';
import pg from 'pg';
import superjson from 'superjson';

// The floor the product is measured against, in its own process and never in the product's router:
// a bare Hono JSON route, a tRPC no-op through the same adapter and transformer, and bare Hono routes
// running the product's own list and get SQL with pg directly (no auth, no validation, no mapping).

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error('usage: baseline-server.ts <database url>');

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
// The columns the product reads (everything but the search vector), as the product's SQL names them.
const columns = ticketRowColumns
  .map((name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
  .join(', ');
const t = initTRPC.create({ transformer: superjson });
const router = t.router({ noop: t.procedure.query(() => ({ ok: true })) });

const app = new Hono();
app.get('/bare', (c) => c.json({ ok: true }));
app.use('/trpc/*', trpcServer({ router, endpoint: '/trpc' }));
app.get('/sql/list', async (c) => {
  const { rows } = await pool.query(
    `select ${columns} from tickets where created_by = $1 and workspace_id = $2
     order by created_at desc, id desc limit 26`,
    [c.req.query('by'), c.req.query('ws')],
  );
  return c.json({ items: rows.slice(0, 25) });
});
app.get('/sql/get', async (c) => {
  const { rows } = await pool.query(`select ${columns} from tickets where id = $1`, [c.req.query('id')]);
  return c.json(rows[0] ?? null);
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port: info.port })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
