import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTicket, createWorkspaceWithCast } from '@tickets/core/testing';
import { testDatabaseUrl } from '@tickets/db/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startComposedInstance } from '../testing/composed-instance';

// Two server instances on one PostgreSQL through a real PgBouncer in transaction pooling mode (Debian's
// `pgbouncer`; scripts/test.sh installs it), LISTEN on a direct connection (DATABASE_LISTEN_URL), as
// docs/DEPLOYMENT.md describes.

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startPgBouncer(): Promise<string> {
  const direct = new URL(testDatabaseUrl());
  const dir = await mkdtemp(join(tmpdir(), 'tickets-pgbouncer-'));
  // PgBouncer refuses to run as root: it runs as postgres, which must reach its files.
  await chmod(dir, 0o777);
  const port = await freePort();
  await writeFile(join(dir, 'users.txt'), `"${direct.username || 'postgres'}" ""\n`);
  await writeFile(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${direct.hostname} port=${direct.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 4',
      'max_client_conn = 200',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(
    'pgbouncer',
    [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')],
    {
      stdio: 'ignore',
    },
  );
  const exited = once(child, 'exit');
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  });
  const url = new URL(direct);
  url.port = String(port);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return url.toString();
    } catch {
      await client.end().catch(() => {});
      await sleep(100);
    }
  }
  throw new Error("PgBouncer did not start (is Debian's pgbouncer installed? scripts/test.sh installs it)");
}

async function startInstance(pooledUrl: string) {
  const instance = await startComposedInstance({
    DATABASE_URL: pooledUrl,
    DATABASE_LISTEN_URL: testDatabaseUrl(),
    DATABASE_POOLER: 'pgbouncer',
  });
  cleanups.push(() => instance.stop());
  return instance;
}

const setup = (async () => {
  const pooledUrl = await startPgBouncer();
  const [a, b] = [await startInstance(pooledUrl), await startInstance(pooledUrl)];
  return { a, b };
})();

const post = (url: string, path: string, token: string, input: unknown) =>
  fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });

describe('behind PgBouncer in transaction mode', () => {
  it('given a requester streaming on B, when staff reply through A, then the notification arrives live on B', async () => {
    const { a, b } = await setup;
    const cast = await createWorkspaceWithCast(a.db);
    const ticket = await createTicket(a.db, {
      workspaceId: cast.workspace.id,
      createdBy: cast.client.user.id,
    });
    const controller = new AbortController();
    const stream = await fetch(`${b.url}/trpc/notifications.onNotification`, {
      headers: { authorization: `Bearer ${cast.client.token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let received = '';
    const arrived = (async () => {
      while (!received.includes('message.created')) {
        const { value, done } = await reader.read();
        if (done) break;
        received += new TextDecoder().decode(value);
      }
    })();
    await sleep(300); // the stream registers with B's hub

    expect(
      (await post(a.url, 'messages.create', cast.support.token, { ticketId: ticket.id, body: 'On it.' }))
        .status,
    ).toBe(200);

    await Promise.race([arrived, sleep(5_000)]);
    controller.abort();
    expect(received).toContain('message.created');
  });

  it('given 10 concurrent closes of one ticket through both instances, then exactly one succeeds (row locks hold across the pooler)', async () => {
    const { a, b } = await setup;
    const cast = await createWorkspaceWithCast(a.db);
    const ticket = await createTicket(a.db, {
      workspaceId: cast.workspace.id,
      createdBy: cast.client.user.id,
    });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        post(index % 2 ? a.url : b.url, 'tickets.close', cast.support.token, { id: ticket.id }).then(
          (response) => response.status,
        ),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(9);
  });
});
