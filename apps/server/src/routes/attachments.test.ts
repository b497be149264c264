import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppServices, SESSION_COOKIE } from '@tickets/api';
import { createLocalDiskStorage, createNotificationHub, createS3Storage, type Storage } from '@tickets/core';
import { createTicket, createUser, createWorkspaceWithCast, type TestUser } from '@tickets/core/testing';
import type { TicketRow } from '@tickets/db';
import { openTestDatabase } from '@tickets/db/testing';
import S3rver from 's3rver';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { errorFields } from '../testing/error-body';
import { listenOnFreePort } from '../testing/listen';

// The attachment routes through a real listening server (busboy reads Node's own request stream),
// against the real database. The upload limit is small here so "one byte over" stays cheap.

const LIMIT = 64 * 1024;
const database = await openTestDatabase();
const db = database.db;
const cleanups: Array<() => Promise<unknown> | unknown> = [() => database.close()];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

async function startServer(storage: Storage): Promise<string> {
  const notificationHub = createNotificationHub({ db });
  const services: AppServices = {
    db,
    production: true,
    secureCookies: false,
    isDatabaseReady: () => database.isReady(),
    storage,
    maxUploadBytes: LIMIT,
    notificationHub,
  };
  const listening = await listenOnFreePort(createApp({ services }));
  cleanups.push(() => {
    notificationHub.close();
    return listening.close();
  });
  return listening.url;
}

const storageDir = await tempFolder('tickets-attachments-route-');
const baseUrl = await startServer(createLocalDiskStorage(storageDir));

/** Every file under a folder: what an upload really left on disk. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

type Part =
  | { name: string; value: string }
  /** `encoded`: the name goes as RFC 5987 filename*, the only way control characters fit in a header. */
  | { name: string; filename: string; type?: string; data: Buffer; encoded?: boolean };

/** A multipart/form-data body, parts in the given order, names sent as raw UTF-8 (as browsers do). */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----tickets${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const headers =
      'value' in part
        ? `Content-Disposition: form-data; name="${part.name}"\r\n`
        : `Content-Disposition: form-data; name="${part.name}"; ${
            part.encoded
              ? `filename*=UTF-8''${encodeURIComponent(part.filename)}`
              : `filename="${part.filename}"`
          }\r\n` + `Content-Type: ${part.type ?? 'application/octet-stream'}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n`, 'utf8'));
    chunks.push('value' in part ? Buffer.from(part.value, 'utf8') : part.data);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

interface UploadOptions {
  token?: string;
  /** Sent without Content-Length, in small chunks (Transfer-Encoding: chunked). */
  chunked?: boolean;
  headers?: Record<string, string>;
  url?: string;
}

async function post(parts: Part[], options: UploadOptions = {}) {
  const { body, contentType } = multipart(parts);
  const headers: Record<string, string> = {
    'content-type': contentType,
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  const init: RequestInit & { duplex?: 'half' } = options.chunked
    ? {
        method: 'POST',
        headers,
        duplex: 'half',
        body: new ReadableStream({
          start(controller) {
            for (let offset = 0; offset < body.length; offset += 8192) {
              controller.enqueue(body.subarray(offset, offset + 8192));
            }
            controller.close();
          },
        }),
      }
    : { method: 'POST', headers, body };
  const response = await fetch(`${options.url ?? baseUrl}/api/attachments`, init);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & AnyJson };
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field.
type AnyJson = Record<string, any>;

const fileParts = (
  ticketId: string,
  file: { filename?: string; type?: string; data: Buffer; encoded?: boolean },
  fields: Record<string, string> = {},
): Part[] => [
  { name: 'ticketId', value: ticketId },
  ...Object.entries(fields).map(([name, value]) => ({ name, value })),
  {
    name: 'file',
    filename: file.filename ?? 'notes.txt',
    type: file.type ?? 'text/plain',
    data: file.data,
    encoded: file.encoded,
  },
];

const upload = (user: TestUser, ticketId: string, data: Buffer, fields: Record<string, string> = {}) =>
  post(fileParts(ticketId, { data }, fields), { token: user.token });

async function download(id: string, token: string, url = baseUrl) {
  const response = await fetch(`${url}/api/attachments/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** The error body without its request id (which differs per request by design). */
const errorOf = (json: AnyJson) => {
  const { requestId, ...error } = errorFields(json);
  expect(requestId).toEqual(expect.any(String));
  return error;
};

/** A writer's ticket, assigned to the workspace's admin. */
async function givenWritersTicket(overrides: Partial<Pick<TicketRow, 'status' | 'assignedTo'>> = {}) {
  const cast = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.writer.user.id,
    assignedTo: cast.admin.user.id,
    ...overrides,
  });
  return { ...cast, ticket };
}

const attachmentsOf = (ticketId: string) =>
  db.selectFrom('attachments').selectAll().where('ticketId', '=', ticketId).execute();
const notifiedFor = async (attachmentId: string) =>
  (
    await db
      .selectFrom('notifications')
      .select('userId')
      .where('type', '=', 'attachment.created')
      .where((eb) => eb(eb.ref('data', '->>').key('attachmentId'), '=', attachmentId))
      .execute()
  )
    .map((row) => row.userId)
    .sort();

/** Polls until `condition` holds (work that finishes after the response, or after a disconnect). */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('POST /api/attachments', () => {
  it('given a writer on their own ticket, then 201 with the attachment, recorded as theirs, bytes stored', async () => {
    const { writer, ticket } = await givenWritersTicket();
    const data = Buffer.from('The printer says PC LOAD LETTER.\n');
    const { status, json } = await upload(writer, ticket.id, data);
    expect(status).toBe(201);
    expect(json).toEqual({
      id: expect.any(String),
      ticketId: ticket.id,
      messageId: null,
      uploadedBy: writer.user.id,
      filename: 'notes.txt',
      contentType: 'text/plain',
      size: data.length,
      sha256: sha256(data),
      internal: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const [row] = await attachmentsOf(ticket.id);
    expect(row).toMatchObject({ id: json.id, uploadedBy: writer.user.id, workspaceId: ticket.workspaceId });
    expect(await filesUnder(storageDir)).toContain(
      join(storageDir, 'objects', row!.storageKey.slice(0, 2), row!.storageKey),
    );
    const events = await db.selectFrom('auditEvents').selectAll().where('ticketId', '=', ticket.id).execute();
    expect(events).toEqual([expect.objectContaining({ action: 'attachment.created', internal: false })]);
  });

  it('given a form with no file, then 400 with a JSON error naming the file, and nothing written', async () => {
    const { writer, ticket } = await givenWritersTicket();
    const { status, json } = await post([{ name: 'ticketId', value: ticket.id }], { token: writer.token });
    expect(status).toBe(400);
    expect(errorOf(json)).toMatchObject({
      code: 'BAD_REQUEST',
      appCode: 'VALIDATION_FAILED',
      message: expect.stringContaining('file'),
      issues: [expect.objectContaining({ path: 'file' })],
    });
    expect(await attachmentsOf(ticket.id)).toEqual([]);
  });

  it('given an empty file input (filename="" and no bytes, as browsers send it), then 400 as for no file', async () => {
    const { writer, ticket } = await givenWritersTicket();
    const { status, json } = await post(
      [
        { name: 'ticketId', value: ticket.id },
        { name: 'file', filename: '', data: Buffer.alloc(0) },
      ],
      { token: writer.token },
    );
    expect([status, errorOf(json).issues]).toEqual([400, [expect.objectContaining({ path: 'file' })]]);
  });

  it('given a client that disconnects mid-upload, then neither row nor bytes remain', async () => {
    const { support, ticket } = await givenWritersTicket();
    const before = await filesUnder(storageDir);
    const { body, contentType } = multipart(fileParts(ticket.id, { data: Buffer.alloc(LIMIT - 100, 1) }));
    const req = request(`${baseUrl}/api/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${support.token}`,
        'content-type': contentType,
        'content-length': String(body.length),
      },
    });
    req.on('error', () => {});
    req.write(body.subarray(0, body.length / 2));
    await waitFor(async () => (await filesUnder(storageDir)).length > before.length);
    req.destroy();
    await waitFor(async () => (await filesUnder(storageDir)).length === before.length);
    expect(await attachmentsOf(ticket.id)).toEqual([]);
  });

  it('given a body that is not multipart, then 400', async () => {
    const { writer, ticket } = await givenWritersTicket();
    const response = await fetch(`${baseUrl}/api/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ticketId: ticket.id }),
    });
    expect(response.status).toBe(400);
    expect(errorOf((await response.json()) as AnyJson).appCode).toBe('VALIDATION_FAILED');
  });

  it('given the fields after the file, then 400 saying fields come first, and nothing stored', async () => {
    const { writer, ticket } = await givenWritersTicket();
    const before = await filesUnder(storageDir);
    const { status, json } = await post(
      [
        { name: 'file', filename: 'a.txt', data: Buffer.from('hello') },
        { name: 'ticketId', value: ticket.id },
      ],
      { token: writer.token },
    );
    expect(status).toBe(400);
    expect(errorOf(json).message).toMatch(/fields must come before the file/);
    expect(await attachmentsOf(ticket.id)).toEqual([]);
    expect(await filesUnder(storageDir)).toEqual(before);
  });

  it('given an unknown form field, then 400 (no smuggled columns)', async () => {
    const { writer, ticket } = await givenWritersTicket();
    const { status, json } = await upload(writer, ticket.id, Buffer.from('x'), { uploadedBy: randomUUID() });
    expect(status).toBe(400);
    expect(errorOf(json).message).toMatch(/uploadedBy/);
  });

  it("given someone else's ticket or a missing one, then 404 alike, with neither row nor bytes", async () => {
    const { workspace, ticket } = await givenWritersTicket();
    const stranger = await createUser(db, { role: 'client', workspaceId: workspace.id });
    const before = await filesUnder(storageDir);
    const hidden = await upload(stranger, ticket.id, Buffer.from('x'));
    const missing = await upload(stranger, randomUUID(), Buffer.from('x'));
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(errorOf(hidden.json)).toEqual({
      code: 'NOT_FOUND',
      appCode: 'TICKET_NOT_FOUND',
      message: 'Ticket not found.',
    });
    expect(errorOf(missing.json)).toEqual(errorOf(hidden.json));
    expect(await attachmentsOf(ticket.id)).toEqual([]);
    expect(await filesUnder(storageDir)).toEqual(before);
  });

  it('given a requester asking for an internal attachment, then 403 FORBIDDEN and nothing stored', async () => {
    const { writer, ticket } = await givenWritersTicket();
    const before = await filesUnder(storageDir);
    const { status, json } = await upload(writer, ticket.id, Buffer.from('x'), { internal: 'true' });
    expect(status).toBe(403);
    expect(errorOf(json)).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    expect(await attachmentsOf(ticket.id)).toEqual([]);
    expect(await filesUnder(storageDir)).toEqual(before);
  });

  it('given no session, then 401 before anything is read', async () => {
    const { ticket } = await givenWritersTicket();
    const { status, json } = await post(fileParts(ticket.id, { data: Buffer.from('x') }));
    expect(status).toBe(401);
    expect(errorOf(json)).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
  });

  it('given the session cookie instead of a bearer token, then same-origin uploads pass and cross-site ones are refused', async () => {
    const { writer, ticket } = await givenWritersTicket();
    const cookie = `${SESSION_COOKIE}=${writer.token}`;
    const sameOrigin = await post(fileParts(ticket.id, { data: Buffer.from('x') }), {
      headers: { cookie, origin: baseUrl },
    });
    expect(sameOrigin.status).toBe(201);
    const crossSite = await post(fileParts(ticket.id, { data: Buffer.from('y') }), {
      headers: { cookie, origin: 'https://evil.example' },
    });
    const sameSite = await post(fileParts(ticket.id, { data: Buffer.from('z') }), {
      headers: { cookie, 'sec-fetch-site': 'same-site' },
    });
    expect([crossSite.status, sameSite.status]).toEqual([403, 403]);
    expect(await attachmentsOf(ticket.id)).toHaveLength(1);
  });

  describe('the size limit', () => {
    it.each([
      ['with Content-Length', false],
      ['chunked, without Content-Length', true],
    ])(
      'given a file one byte over the limit (%s), then 413 PAYLOAD_TOO_LARGE, no row, no bytes',
      async (_, chunked) => {
        const { support, ticket } = await givenWritersTicket();
        const before = await filesUnder(storageDir);
        const { status, json } = await post(fileParts(ticket.id, { data: Buffer.alloc(LIMIT + 1, 7) }), {
          token: support.token,
          chunked,
        });
        expect(status).toBe(413);
        expect(errorOf(json)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', appCode: 'PAYLOAD_TOO_LARGE' });
        expect(await attachmentsOf(ticket.id)).toEqual([]);
        expect(await filesUnder(storageDir)).toEqual(before);
      },
    );

    it('given a file of exactly the limit, sent chunked, then it is accepted', async () => {
      const { support, ticket } = await givenWritersTicket();
      const data = Buffer.alloc(LIMIT, 7);
      const { status, json } = await post(fileParts(ticket.id, { data }), {
        token: support.token,
        chunked: true,
      });
      expect(status).toBe(201);
      expect(json.size).toBe(LIMIT);
    });

    it('given a Content-Length far over the limit, then 413 comes before the body is sent', async () => {
      const { support } = await givenWritersTicket();
      const { contentType } = multipart([]);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(`${baseUrl}/api/attachments`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${support.token}`,
            'content-type': contentType,
            'content-length': String(1024 ** 3),
          },
        });
        req.on('response', (response) => {
          resolve(response.statusCode);
          req.destroy();
        });
        req.on('error', reject);
        req.flushHeaders();
      });
      expect(status).toBe(413);
    });
  });

  describe('what is stored', () => {
    it.each([
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\windows\\win.ini', 'win.ini'],
      ['re\u0007port\u001b\u202Etxt.exe', 'reporttxt.exe'],
      ['..', 'file'],
    ])(
      'given the filename %j, then it is stored as %j under a random key inside storage',
      async (raw, stored) => {
        const { support, ticket } = await givenWritersTicket();
        const { status, json } = await post(
          fileParts(ticket.id, { filename: raw, data: Buffer.from('x'), encoded: true }),
          {
            token: support.token,
          },
        );
        expect(status).toBe(201);
        expect(json.filename).toBe(stored);
        const [row] = await attachmentsOf(ticket.id);
        expect(row!.storageKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(await filesUnder(storageDir)).toContain(
          join(storageDir, 'objects', row!.storageKey.slice(0, 2), row!.storageKey),
        );
      },
    );

    it('given a PNG sent as text/plain, then it is stored and served as image/png', async () => {
      const { support, ticket } = await givenWritersTicket();
      const { json } = await post(
        fileParts(ticket.id, { filename: 'shot.txt', type: 'text/plain', data: PNG }),
        {
          token: support.token,
        },
      );
      expect(json.contentType).toBe('image/png');
      expect((await download(json.id, support.token)).headers.get('content-type')).toBe('image/png');
    });

    it('given a message of the same ticket, then the attachment belongs to it; an internal note makes it internal', async () => {
      const { support, ticket, writer } = await givenWritersTicket();
      const [note] = await db
        .insertInto('messages')
        .values({
          workspaceId: ticket.workspaceId,
          ticketId: ticket.id,
          authorId: support.user.id,
          body: 'n',
          internal: true,
        })
        .returning('id')
        .execute();
      const { status, json } = await upload(support, ticket.id, Buffer.from('x'), { messageId: note!.id });
      expect(status).toBe(201);
      expect(json).toMatchObject({ messageId: note!.id, internal: true });
      // The requester cannot even name the internal note.
      const hidden = await upload(writer, ticket.id, Buffer.from('x'), { messageId: note!.id });
      expect([hidden.status, errorOf(hidden.json).appCode]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    });

    it('given a message of another ticket, then 404 MESSAGE_NOT_FOUND and nothing stored', async () => {
      const { support, ticket, workspace, writer } = await givenWritersTicket();
      const other = await createTicket(db, { workspaceId: workspace.id, createdBy: writer.user.id });
      const [message] = await db
        .insertInto('messages')
        .values({ workspaceId: workspace.id, ticketId: other.id, authorId: writer.user.id, body: 'hi' })
        .returning('id')
        .execute();
      const { status, json } = await upload(support, ticket.id, Buffer.from('x'), { messageId: message!.id });
      expect([status, errorOf(json).appCode]).toEqual([404, 'MESSAGE_NOT_FOUND']);
      expect(await attachmentsOf(ticket.id)).toEqual([]);
    });

    it('given a requester on their closed ticket, then 400 TICKET_CLOSED telling them to reopen it', async () => {
      const { writer, ticket } = await givenWritersTicket({ status: 'closed' });
      const { status, json } = await upload(writer, ticket.id, Buffer.from('x'));
      expect([status, errorOf(json).appCode]).toEqual([400, 'TICKET_CLOSED']);
      expect(errorOf(json).message).toMatch(/reopen/);
    });
  });

  describe('notifications (CONTRACT.md §5: the assignee, and the creator unless internal; never the actor)', () => {
    it('given staff attach a public file, then the assignee and the creator are notified', async () => {
      const { support, admin, writer, ticket } = await givenWritersTicket();
      const { json } = await upload(support, ticket.id, Buffer.from('x'));
      expect(await notifiedFor(json.id)).toEqual([admin.user.id, writer.user.id].sort());
    });

    it('given staff attach an internal file, then only the assignee is notified, never the creator', async () => {
      const { support, admin, ticket } = await givenWritersTicket();
      const { json } = await upload(support, ticket.id, Buffer.from('x'), { internal: 'true' });
      expect(json.internal).toBe(true);
      expect(await notifiedFor(json.id)).toEqual([admin.user.id]);
    });

    it('given the creator attaches a file, then the assignee is notified and the creator (the actor) is not', async () => {
      const { admin, writer, ticket } = await givenWritersTicket();
      const { json } = await upload(writer, ticket.id, Buffer.from('x'));
      expect(await notifiedFor(json.id)).toEqual([admin.user.id]);
    });

    it('given the assignee attaches an internal file, then nobody is notified', async () => {
      const { admin, ticket } = await givenWritersTicket();
      const { json } = await upload(admin, ticket.id, Buffer.from('x'), { internal: 'on' });
      expect(await notifiedFor(json.id)).toEqual([]);
    });
  });
});

describe('GET /api/attachments/:id', () => {
  it('given an admin, then any attachment of the workspace comes back byte for byte, as a download', async () => {
    const { admin, writer, ticket } = await givenWritersTicket();
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));
    const { json } = await post(
      fileParts(ticket.id, { filename: 'dump.bin', type: 'application/x-thing', data }),
      {
        token: writer.token,
      },
    );
    const { status, headers, bytes } = await download(json.id, admin.token);
    expect(status).toBe(200);
    expect(bytes.equals(data)).toBe(true);
    expect(Object.fromEntries(headers)).toMatchObject({
      'content-type': 'application/x-thing',
      'content-length': String(data.length),
      'content-disposition': `attachment; filename="dump.bin"; filename*=UTF-8''dump.bin`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  it('given a requester, then they download a shared file of their ticket; an internal one, another ticket’s, a missing or malformed id all answer the same 404', async () => {
    const { support, writer, ticket, workspace } = await givenWritersTicket();
    const shared = await upload(support, ticket.id, Buffer.from('shared'));
    const internal = await upload(support, ticket.id, Buffer.from('internal'), { internal: 'true' });
    const othersTicket = await createTicket(db, {
      workspaceId: workspace.id,
      createdBy: (await createUser(db, { role: 'client', workspaceId: workspace.id })).user.id,
    });
    const others = await upload(support, othersTicket.id, Buffer.from('others'));

    const ok = await download(shared.json.id, writer.token);
    expect([ok.status, ok.bytes.toString()]).toEqual([200, 'shared']);

    const answers = [];
    for (const id of [internal.json.id, others.json.id, randomUUID(), 'not-an-id']) {
      const response = await fetch(`${baseUrl}/api/attachments/${id}`, {
        headers: { authorization: `Bearer ${writer.token}` },
      });
      answers.push({ status: response.status, error: errorOf((await response.json()) as AnyJson) });
    }
    expect(answers).toEqual(
      Array(4).fill({
        status: 404,
        error: { code: 'NOT_FOUND', appCode: 'ATTACHMENT_NOT_FOUND', message: 'Attachment not found.' },
      }),
    );
  });

  it('given staff of another workspace, then 404', async () => {
    const { support, ticket } = await givenWritersTicket();
    const { json } = await upload(support, ticket.id, Buffer.from('x'));
    const elsewhere = await createWorkspaceWithCast(db);
    expect((await download(json.id, elsewhere.admin.token)).status).toBe(404);
  });

  it('given a unicode filename, then Content-Disposition carries an ASCII fallback and the exact UTF-8 name', async () => {
    const { support, ticket } = await givenWritersTicket();
    const { json } = await post(
      fileParts(ticket.id, {
        filename: 'Résumé 日本.pdf',
        type: 'application/pdf',
        data: Buffer.from('%PDF-1.4\n%%EOF\n'),
      }),
      { token: support.token },
    );
    expect(json).toMatchObject({ filename: 'Résumé 日本.pdf', contentType: 'application/pdf' });
    const { headers } = await download(json.id, support.token);
    expect(headers.get('content-disposition')).toBe(
      `attachment; filename="Resume __.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E6%97%A5%E6%9C%AC.pdf`,
    );
  });

  it('given HEAD, then the same headers and no body; an internal file is still hidden from the requester', async () => {
    const { support, writer, ticket } = await givenWritersTicket();
    const shared = await upload(support, ticket.id, Buffer.from('twelve bytes'));
    const internal = await upload(support, ticket.id, Buffer.from('x'), { internal: 'true' });
    const head = (id: string) =>
      fetch(`${baseUrl}/api/attachments/${id}`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${writer.token}` },
      });
    const response = await head(shared.json.id);
    expect([response.status, response.headers.get('content-length'), await response.text()]).toEqual([
      200,
      '12',
      '',
    ]);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect((await head(internal.json.id)).status).toBe(404);
  });

  it('given no session, then 401', async () => {
    const response = await fetch(`${baseUrl}/api/attachments/${randomUUID()}`);
    expect(response.status).toBe(401);
  });
});

describe('with the S3 storage driver (s3rver on a free port)', async () => {
  const s3rverDir = await tempFolder('tickets-s3rver-route-');
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: s3rverDir,
    silent: true,
    configureBuckets: [{ name: 'attachments' }],
  });
  const { port } = await s3rver.run();
  const s3 = createS3Storage({
    bucket: 'attachments',
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  });
  cleanups.push(
    () => s3rver.close(),
    () => s3.destroy(),
  );
  const s3Url = await startServer(s3);
  const objectsInBucket = async () =>
    (await filesUnder(s3rverDir)).filter((path) => path.endsWith('._S3rver_object')).length;

  it('given an upload, then the bytes land in the bucket and download byte for byte', async () => {
    const { writer, admin, ticket } = await givenWritersTicket();
    const data = Buffer.alloc(40_000, 'ab');
    const { status, json } = await post(fileParts(ticket.id, { data }), { token: writer.token, url: s3Url });
    expect(status).toBe(201);
    const [row] = await attachmentsOf(ticket.id);
    expect(await s3.exists(row!.storageKey)).toBe(true);
    const fetched = await download(json.id, admin.token, s3Url);
    expect(fetched.bytes.equals(data)).toBe(true);
  });

  it('given a file one byte over the limit, then 413 and nothing in the bucket', async () => {
    const { support, ticket } = await givenWritersTicket();
    const before = await objectsInBucket();
    const { status } = await post(fileParts(ticket.id, { data: Buffer.alloc(LIMIT + 1) }), {
      token: support.token,
      url: s3Url,
      chunked: true,
    });
    expect(status).toBe(413);
    expect(await attachmentsOf(ticket.id)).toEqual([]);
    expect(await objectsInBucket()).toBe(before);
  });
});
