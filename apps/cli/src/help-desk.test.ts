import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer, Socket as NetSocket, type Socket } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createWorkspaceWithCast, FACTORY_PASSWORD } from '@tickets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import { runTickets, startTestServer, type TestServer, tempConfigHome } from './testing/cli-server';

// Running a help desk from the command line alone: workspaces, accounts, a ticket's whole life (reopen
// included), its files, its audit log and the statistics; and a watch that survives a lost connection.

let server: TestServer;
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  server = await startTestServer();
  cleanups.push(() => server.close());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function signedIn(email: string, url = server.url) {
  const home = await tempConfigHome();
  cleanups.push(home.remove);
  const env = { XDG_CONFIG_HOME: home.dir, HOME: home.dir, TICKETS_PASSWORD: FACTORY_PASSWORD };
  const login = await runTickets(['login', '--url', url, '--email', email], env);
  expect(login, login.stderr).toMatchObject({ code: 0 });
  return env;
}

const idIn = (text: string) => /id ([0-9a-f-]{36})/.exec(text)?.[1] as string;

describe('running a help desk with the tickets command', () => {
  it('given a superadmin, when they create a workspace and its admin, then the admin creates and updates staff and lists them', async () => {
    const { superadmin } = await createWorkspaceWithCast(server.api.db);
    const root = await signedIn(superadmin.user.email);
    const slug = `acme-${randomUUID().slice(0, 8)}`;

    const workspace = await runTickets(['workspaces', 'create', '--name', 'Acme', '--slug', slug], root);
    expect(workspace, workspace.stderr).toMatchObject({ code: 0 });
    const workspaceId = idIn(workspace.stdout);
    expect((await runTickets(['workspaces', 'list', '--limit', '100'], root)).stdout).toContain(slug);

    const adminEmail = `admin-${slug}@example.test`;
    const admin = await runTickets(
      [
        'users',
        'create',
        '--email',
        adminEmail,
        '--name',
        'Ada',
        '--role',
        'admin',
        '--workspace',
        workspaceId,
      ],
      { ...root, TICKETS_NEW_PASSWORD: FACTORY_PASSWORD },
    );
    expect(admin, admin.stderr).toMatchObject({ code: 0 });

    const asAdmin = await signedIn(adminEmail);
    const agent = await runTickets(
      ['users', 'create', '--email', `agent-${slug}@example.test`, '--name', 'Grace', '--role', 'support'],
      asAdmin,
      { stdin: FACTORY_PASSWORD }, // piped, with no newline after it
    );
    expect(agent, agent.stderr).toMatchObject({ code: 0 });
    const agentId = idIn(agent.stdout);
    const renamed = await runTickets(
      ['users', 'update', agentId, '--name', 'Grace H.', '--deactivate'],
      asAdmin,
    );
    expect(renamed.stdout).toContain('inactive');
    const list = await runTickets(['users', 'list', '--inactive'], asAdmin);
    expect(list.stdout).toMatch(new RegExp(`${agentId}\\s+support\\s+inactive`));

    // A workspace admin may not create workspaces: the server's answer, with the CLI's hint.
    const refused = await runTickets(['workspaces', 'create', '--name', 'X', '--slug', `x-${slug}`], asAdmin);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('FORBIDDEN');
  });

  it('given a requester and an agent, when a ticket goes from creation to close and is reopened, then its file, audit log and the statistics follow', async () => {
    const { support, client } = await createWorkspaceWithCast(server.api.db);
    const agent = await signedIn(support.user.email);
    const requester = await signedIn(client.user.email);

    const created = await runTickets(
      ['create', '--title', 'Printer jam', '--description', 'Page 3 stuck.'],
      requester,
    );
    const ticketId = /Created ticket ([0-9a-f-]{36})/.exec(created.stdout)?.[1] as string;
    const file = join(requester.XDG_CONFIG_HOME, 'jam.txt');
    await writeFile(file, 'paper everywhere\n');
    const upload = await runTickets(['upload', ticketId, file, '--json'], requester);
    const attachmentId = JSON.parse(upload.stdout).id as string;

    expect((await runTickets(['reply', ticketId, '--body', 'Open the tray.'], agent)).code).toBe(0);
    expect((await runTickets(['close', ticketId, '--reason', 'Fixed'], agent)).code).toBe(0);
    const reopened = await runTickets(['reopen', ticketId, '--reason', 'Jammed again'], requester);
    expect(reopened, reopened.stderr).toMatchObject({
      code: 0,
      stdout: `Ticket ${ticketId} reopened (open).\n`,
    });
    expect((await runTickets(['reopen', ticketId], requester)).stderr).toContain('TICKET_NOT_CLOSED');

    const target = join(agent.XDG_CONFIG_HOME, 'saved.txt');
    const download = await runTickets(['download', attachmentId, '-o', target], agent);
    expect(download, download.stderr).toMatchObject({ code: 0 });
    expect(await readFile(target, 'utf8')).toBe('paper everywhere\n');
    expect((await runTickets(['download', attachmentId, '-o', target], agent)).stderr).toContain('--force');

    const logs = await runTickets(['logs', '--ticket', ticketId, '--json'], requester);
    const actions = (JSON.parse(logs.stdout).items as Array<{ action: string }>).map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining(['ticket.created', 'attachment.created', 'ticket.closed', 'ticket.reopened']),
    );
    expect((await runTickets(['logs'], agent)).stdout).toMatch(/^WHEN\s+ACTION\s+TICKET/);

    const stats = await runTickets(['stats'], agent);
    expect(stats, stats.stderr).toMatchObject({ code: 0 });
    expect(stats.stdout).toMatch(/Tickets:\s+1\n/);
    expect((await runTickets(['stats'], requester)).code).toBe(3);
  });
});

/** A TCP relay to the server whose connections the test can cut, as a network outage would. */
async function cuttableRelay(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const relay = createServer((inbound) => {
    const outbound = new NetSocket();
    outbound.connect(Number(port), hostname);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => relay.close(() => resolve())),
  };
}

describe('tickets watch over a connection that drops', () => {
  it('given a running watch, when the connection is cut, then it says so, reconnects, says so, and still prints what arrives', async () => {
    const { support, client } = await createWorkspaceWithCast(server.api.db);
    const relay = await cuttableRelay(server.url);
    cleanups.push(relay.close);
    const env = await signedIn(client.user.email, relay.url);
    const ticket = await server.api
      .as(client.token)
      .tickets.create({ title: 'Watch me', description: 'Please.' });
    await server.api.as(support.token).tickets.assign({ id: ticket.id, assigneeId: support.user.id });

    const stop = new AbortController();
    let stderr = '';
    let stdout = '';
    const watching = run(['watch'], {
      env,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from([]),
      signal: stop.signal,
    });
    await expect.poll(() => stderr, { timeout: 10_000 }).toContain('Watching notifications');

    relay.cut();
    await expect.poll(() => stderr, { timeout: 15_000 }).toContain(`Connection to ${relay.url} lost`);
    await expect.poll(() => stderr, { timeout: 15_000 }).toContain('Reconnected');

    await server.api.as(support.token).tickets.close({ id: ticket.id });
    await expect.poll(() => stdout, { timeout: 10_000 }).toContain(`closed  ${ticket.id}`);
    stop.abort();
    expect(await watching).toBe(0);
  });
});
