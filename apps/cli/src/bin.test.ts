import { randomUUID } from 'node:crypto';
import { createTicket, createWorkspaceWithCast, FACTORY_PASSWORD } from '@tickets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  finished,
  spawnTickets,
  startTestServer,
  type TestServer,
  tempConfigHome,
} from './testing/cli-server';

// The real `tickets` executable (bin/tickets.mjs through tsx) as a child process: what a script runs.

let server: TestServer;
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  server = await startTestServer();
  cleanups.push(() => server.close());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freshEnv(extra: Record<string, string> = {}) {
  const home = await tempConfigHome();
  cleanups.push(home.remove);
  return { XDG_CONFIG_HOME: home.dir, HOME: home.dir, ...extra };
}

/** Resolves with everything printed so far once `pattern` appears in it. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: string) => {
      text += chunk;
      if (pattern.test(text)) {
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
  });
}

describe('the tickets executable', () => {
  it('given a password in TICKETS_PASSWORD, when a script logs in and lists, then exit 0 and the JSON parses', async () => {
    const { support, client } = await createWorkspaceWithCast(server.api.db);
    const ticket = await createTicket(server.api.db, {
      workspaceId: support.user.workspaceId!,
      createdBy: client.user.id,
    });
    const env = await freshEnv();

    const login = await finished(
      spawnTickets(['login', '--url', server.url, '--email', support.user.email], {
        ...env,
        TICKETS_PASSWORD: FACTORY_PASSWORD,
      }),
    );
    expect(login.code, login.stderr).toBe(0);
    const list = await finished(spawnTickets(['--json', 'list'], env));

    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).items.map((item: { id: string }) => item.id)).toContain(ticket.id);
    // Two processes started from the sources: seconds each on a loaded machine, not a hang.
  }, 20_000);

  it('given an unknown ticket id, when shown, then the process exits 3 with the reason on stderr', async () => {
    const { support } = await createWorkspaceWithCast(server.api.db);
    const env = await freshEnv({ TICKETS_URL: server.url, TICKETS_TOKEN: support.token });

    const result = await finished(spawnTickets(['show', randomUUID()], env));

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('TICKET_NOT_FOUND');
  }, 20_000);

  it('given a running watch, when the user is assigned a ticket, then one line arrives and Ctrl-C ends it with 0', async () => {
    const { support, admin, client } = await createWorkspaceWithCast(server.api.db);
    const ticket = await createTicket(server.api.db, {
      workspaceId: support.user.workspaceId!,
      createdBy: client.user.id,
      title: 'Watched ticket',
    });
    const env = await freshEnv({ TICKETS_URL: server.url, TICKETS_TOKEN: support.token });
    const child = spawnTickets(['watch', '--json'], env);
    // Should an expectation fail first, the stream must not outlive the test.
    cleanups.push(async () => child.kill('SIGKILL'));
    const exited = finished(child);
    await waitFor(child.stderr, /Watching notifications/);

    const line = waitFor(child.stdout, /\n/);
    await server.api.as(admin.token).tickets.assign({ id: ticket.id, assigneeId: support.user.id });
    const notification = JSON.parse((await line).trim());

    expect(notification).toMatchObject({
      type: 'ticket.assigned',
      ticketId: ticket.id,
      actorId: admin.user.id,
    });
    expect(notification.data.title).toBe('Watched ticket');
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code, result.stderr).toBe(0);
  }, 30_000);
});
