import { randomUUID } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createTicket, createWorkspaceWithCast, FACTORY_PASSWORD } from '@tickets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPath } from './config';
import { run } from './run';
import { runTickets, startTestServer, type TestServer, tempConfigHome } from './testing/cli-server';

// The CLI's commands, called in process (argument parsing included) against a real server over HTTP.

let server: TestServer;
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  server = await startTestServer();
  cleanups.push(() => server.close());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** An environment with its own empty configuration folder, as a fresh user account would have. */
async function freshEnv(extra: Record<string, string> = {}) {
  const home = await tempConfigHome();
  cleanups.push(home.remove);
  return { XDG_CONFIG_HOME: home.dir, HOME: home.dir, ...extra };
}

async function signedIn(email: string) {
  const env = await freshEnv({ TICKETS_PASSWORD: FACTORY_PASSWORD });
  const login = await runTickets(['login', '--url', server.url, '--email', email], env);
  expect(login, login.stderr).toMatchObject({ code: 0 });
  return env;
}

describe('tickets login / whoami / logout', () => {
  it('given the right password, when a staff member logs in, then the session is kept 0600 and whoami names them', async () => {
    const { support } = await createWorkspaceWithCast(server.api.db);
    const env = await freshEnv({ TICKETS_PASSWORD: FACTORY_PASSWORD });

    const login = await runTickets(['login', '--url', server.url, '--email', support.user.email], env);

    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Signed in as ${support.user.name}`);
    const file = configPath(env);
    expect(file).toBe(join(env.XDG_CONFIG_HOME, 'tickets', 'config.json'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored).toMatchObject({ url: server.url, email: support.user.email });
    expect(login.stdout).not.toContain(stored.token);

    const whoami = await runTickets(['whoami'], env);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain(support.user.email);
    expect(whoami.stdout).toMatch(/Role:\s+support/);
    const json = await runTickets(['whoami', '--json'], env);
    expect(JSON.parse(json.stdout).user.id).toBe(support.user.id);
  });

  it('given a password piped on stdin, when logging in, then it is read from there', async () => {
    const { client } = await createWorkspaceWithCast(server.api.db);
    const env = await freshEnv();

    const login = await runTickets(['login', '--url', server.url, '--email', client.user.email], env, {
      stdin: `${FACTORY_PASSWORD}\n`,
    });

    expect(login, login.stderr).toMatchObject({ code: 0 });
  });

  it('given a wrong password, when logging in, then exit 2 says so and nothing is kept', async () => {
    const { support } = await createWorkspaceWithCast(server.api.db);
    const env = await freshEnv({ TICKETS_PASSWORD: 'not the password at all' });

    const login = await runTickets(['login', '--url', server.url, '--email', support.user.email], env);

    expect(login.code).toBe(2);
    expect(login.stderr).toContain('INVALID_CREDENTIALS');
    await expect(stat(configPath(env))).rejects.toThrow(/ENOENT/);
  });

  it('given no session, when any command runs, then exit 2 tells how to sign in', async () => {
    const env = await freshEnv();

    const list = await runTickets(['list'], env);

    expect(list.code).toBe(2);
    expect(list.stderr).toContain('Not signed in');
    expect(list.stderr).toContain('tickets login');
  });

  it('given TICKETS_URL and TICKETS_TOKEN, when no session is stored, then they are used', async () => {
    const { admin } = await createWorkspaceWithCast(server.api.db);
    const env = await freshEnv({ TICKETS_URL: server.url, TICKETS_TOKEN: admin.token });

    const whoami = await runTickets(['whoami', '--json'], env);

    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout).user.id).toBe(admin.user.id);
  });

  it('given a signed-in user, when they log out, then the file is gone and the token no longer works', async () => {
    const { support } = await createWorkspaceWithCast(server.api.db);
    const env = await signedIn(support.user.email);
    const { token } = JSON.parse(await readFile(configPath(env), 'utf8'));

    const logout = await runTickets(['logout'], env);

    expect(logout.code).toBe(0);
    await expect(stat(configPath(env))).rejects.toThrow(/ENOENT/);
    const revoked = await runTickets(['whoami'], { ...env, TICKETS_URL: server.url, TICKETS_TOKEN: token });
    expect(revoked.code).toBe(2);
    expect(revoked.stderr).toContain('tickets login');
  });
});

describe('a ticket from start to finish', () => {
  it('given a staff member, when they create, list, reply, show, assign, escalate and close, then each step shows in the output', async () => {
    const { support } = await createWorkspaceWithCast(server.api.db);
    const env = await signedIn(support.user.email);
    const marker = `printer${randomUUID().slice(0, 8)}`;

    const created = await runTickets(
      [
        'create',
        '--title',
        `The ${marker} is on fire`,
        '--description',
        'Smoke everywhere.',
        '--priority',
        'high',
      ],
      { ...env },
    );
    expect(created.code).toBe(0);
    const id = created.stdout.match(/Created ticket ([0-9a-f-]{36})/)?.[1];
    expect(id).toBeDefined();
    const ticketId = id!;

    const table = await runTickets(['list', '--q', marker], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+PRIORITY\s+ASSIGNEE\s+UPDATED\s+TITLE/);
    expect(table.stdout).toMatch(new RegExp(`${ticketId}\\s+open\\s+high\\s+-\\s+.*${marker}`));
    const json = await runTickets(
      ['list', '--json', '--status', 'open', '--limit', '100', '--q', marker],
      env,
    );
    expect(JSON.parse(json.stdout)).toMatchObject({ items: [{ id: ticketId }], nextCursor: null });

    const reply = await runTickets(['reply', ticketId, '--body', 'Fire brigade called.'], env);
    expect(reply.code).toBe(0);
    const note = await runTickets(['reply', ticketId, '--body', 'Between us: it was me.', '--internal'], env);
    expect(note.stdout).toContain('Internal note');

    const shown = await runTickets(['show', ticketId], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`The ${marker} is on fire`);
    expect(shown.stdout).toContain('Fire brigade called.');
    expect(shown.stdout).toMatch(/internal note\nBetween us: it was me\./);

    const assigned = await runTickets(['assign', ticketId, 'me'], env);
    expect(assigned.stdout).toContain('assigned to you');
    const mine = await runTickets(['list', '--assignee', 'me', '--q', marker, '--json'], env);
    expect(JSON.parse(mine.stdout).items).toMatchObject([{ id: ticketId, assignedTo: support.user.id }]);
    expect((await runTickets(['list', '--q', marker], env)).stdout).toMatch(
      new RegExp(`${ticketId}\\s+open\\s+high\\s+me\\s`),
    );
    expect((await runTickets(['show', ticketId], env)).stdout).toMatch(/Assignee:\s+you\n/);

    const escalated = await runTickets(['escalate', ticketId, '--reason', 'Spreading'], env);
    expect(escalated.code).toBe(0);
    const closed = await runTickets(['close', ticketId, '--reason', 'Put out', '--json'], env);
    expect(closed.code).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ id: ticketId, status: 'closed', isEscalated: true });

    const audit = await server.api.db
      .selectFrom('auditEvents')
      .select('action')
      .where('ticketId', '=', ticketId)
      .orderBy('createdAt')
      .execute();
    expect(audit.map((event) => event.action)).toEqual(
      expect.arrayContaining(['ticket.created', 'ticket.assigned', 'ticket.escalated', 'ticket.closed']),
    );
  });

  it('given a small file, when it is uploaded, then show lists it and the bytes are stored', async () => {
    const { support, client } = await createWorkspaceWithCast(server.api.db);
    const env = await signedIn(support.user.email);
    const ticket = await server.api
      .as(client.token)
      .tickets.create({ title: 'Receipt', description: 'See file.' });
    const home = env.XDG_CONFIG_HOME;
    const file = join(home, 'notes.txt');
    await writeFile(file, 'hello from the command line\n');

    const upload = await runTickets(['upload', ticket.id, file, '--json'], env);

    expect(upload.code, upload.stderr).toBe(0);
    const attachment = JSON.parse(upload.stdout);
    expect(attachment).toMatchObject({
      ticketId: ticket.id,
      filename: 'notes.txt',
      size: 28,
      internal: false,
    });
    const shown = await runTickets(['show', ticket.id], env);
    expect(shown.stdout).toMatch(new RegExp(`${attachment.id}\\s+notes\\.txt\\s+28 bytes`));
  });
});

describe('tickets watch', () => {
  it('given a running watch, when a reply arrives on an assigned ticket, then one readable line shows it until aborted', async () => {
    const { support, client } = await createWorkspaceWithCast(server.api.db);
    const ticket = await createTicket(server.api.db, {
      workspaceId: support.user.workspaceId!,
      createdBy: client.user.id,
      assignedTo: support.user.id,
    });
    const env = await freshEnv({ TICKETS_URL: server.url, TICKETS_TOKEN: support.token });
    const interrupt = new AbortController();
    let stdout = '';
    let stderr = '';
    const watching = run(['watch'], {
      env,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from([]),
      signal: interrupt.signal,
    });
    await expect.poll(() => stderr, { timeout: 10_000 }).toContain('Watching notifications');

    await server.api.as(client.token).messages.create({ ticketId: ticket.id, body: 'Any news?' });

    await expect.poll(() => stdout, { timeout: 10_000 }).toContain('\n');
    expect(stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  new message  ${ticket.id}\\n$`));
    interrupt.abort();
    expect(await watching).toBe(0);
  });
});

describe('failures', () => {
  it('given an id nobody can see, when it is shown or closed, then exit 3 with a helpful message', async () => {
    const { support } = await createWorkspaceWithCast(server.api.db);
    const env = await signedIn(support.user.email);

    for (const argv of [
      ['show', randomUUID()],
      ['close', randomUUID()],
    ]) {
      const result = await runTickets(argv, env);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('(TICKET_NOT_FOUND)');
      expect(result.stderr).toContain('tickets list');
    }
  });

  it('given --json, when a command fails, then the error is JSON on stderr with its app code', async () => {
    const { support } = await createWorkspaceWithCast(server.api.db);
    const env = await signedIn(support.user.email);

    const result = await runTickets(['show', randomUUID(), '--json'], env);

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { exitCode: 3, appCode: 'TICKET_NOT_FOUND' } });
  });

  it('given a requester, when they try a staff command, then exit 3 (forbidden) and the ticket is unchanged', async () => {
    const { client } = await createWorkspaceWithCast(server.api.db);
    const env = await signedIn(client.user.email);
    const ticket = await server.api.as(client.token).tickets.create({ title: 'Mine', description: 'Help.' });

    const result = await runTickets(['escalate', ticket.id], env);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('FORBIDDEN');
    const row = await server.api.db
      .selectFrom('tickets')
      .select('isEscalated')
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.isEscalated).toBe(false);
  });

  it('given bad arguments, when a command runs, then exit 1 before any request', async () => {
    const env = await freshEnv();
    const cases = [
      ['show', 'not-an-id'],
      ['list', '--limit', '500'],
      ['list', '--status', 'finished'],
      ['create', '--title', 'No description'],
      ['frobnicate'],
    ];
    for (const argv of cases) {
      const result = await runTickets(argv, env);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stderr.length).toBeGreaterThan(0);
    }
  });

  it('given a server that does not answer, when a command runs, then exit 5', async () => {
    const env = await freshEnv({ TICKETS_URL: 'http://127.0.0.1:9', TICKETS_TOKEN: 'whatever' });

    const result = await runTickets(['list'], env);

    expect(result.code).toBe(5);
    expect(result.stderr).toContain('Cannot reach http://127.0.0.1:9');
  });
});
