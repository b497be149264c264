import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTicket, createWorkspaceWithCast } from '../testing';
import { createLocalDiskStorage } from './local-disk-storage';
import type { Storage } from './storage';
import { type AttachmentDeps, uploadAttachment } from './upload-attachment';

// The domain's own guarantees, without HTTP: what is stored, and that nothing is left when it fails.
// Authorisation and notifications are specified through the HTTP route (apps/server).

const database = await openTestDatabase();
const db = database.db;
const storageDir = await mkdtemp(join(tmpdir(), 'tickets-upload-test-'));
const storage = createLocalDiskStorage(storageDir);
const deps: AttachmentDeps = { db, storage, maxUploadBytes: 1024 };
afterAll(async () => {
  await database.close();
  await rm(storageDir, { recursive: true, force: true });
});

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(storageDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function setup() {
  const cast = await createWorkspaceWithCast(db);
  const ticket = await createTicket(db, { workspaceId: cast.workspace.id, createdBy: cast.writer.user.id });
  return { ...cast, ticket };
}

const file = (content: Readable, filename = 'notes.txt') => ({
  filename,
  declaredType: 'text/plain',
  content,
});

describe('uploadAttachment', () => {
  it('given bytes in several chunks, then the row records their exact size and SHA-256 and the bytes are stored', async () => {
    const { ticket, support } = await setup();
    const chunks = [Buffer.from('first line\n'), Buffer.from('second line\n')];
    const attachment = await uploadAttachment(
      deps,
      support.actor,
      { ticketId: ticket.id, internal: true },
      file(Readable.from(chunks)),
    );
    const whole = Buffer.concat(chunks);
    expect(attachment).toMatchObject({
      ticketId: ticket.id,
      uploadedBy: support.user.id,
      size: whole.length,
      sha256: createHash('sha256').update(whole).digest('hex'),
      internal: true,
      contentType: 'text/plain',
    });
    const row = await db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', attachment.id)
      .executeTakeFirstOrThrow();
    expect(row.storageKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(Buffer.concat(await (await storage.get(row.storageKey)).toArray()).equals(whole)).toBe(true);
    const audit = await db.selectFrom('auditEvents').selectAll().where('ticketId', '=', ticket.id).execute();
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'attachment.created',
        actorId: support.user.id,
        internal: true,
        data: expect.objectContaining({ attachmentId: attachment.id, size: whole.length }),
      }),
    ]);
  });

  it('given a stream longer than the limit, then it fails PAYLOAD_TOO_LARGE and leaves no row and no bytes', async () => {
    const { ticket, writer } = await setup();
    const before = await storedFiles();
    await expect(
      uploadAttachment(
        deps,
        writer.actor,
        { ticketId: ticket.id, internal: false },
        file(Readable.from([Buffer.alloc(1000), Buffer.alloc(25)])),
      ),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(
      await db.selectFrom('attachments').select('id').where('ticketId', '=', ticket.id).execute(),
    ).toEqual([]);
    expect(await storedFiles()).toEqual(before);
  });

  it('given the ticket is deleted while the bytes stream, then the transaction refuses it and the bytes are deleted', async () => {
    const { ticket, writer } = await setup();
    const before = await storedFiles();
    async function* slowBytes() {
      yield Buffer.from('part one');
      await db.deleteFrom('tickets').where('id', '=', ticket.id).execute();
      yield Buffer.from('part two');
    }
    await expect(
      uploadAttachment(
        deps,
        writer.actor,
        { ticketId: ticket.id, internal: false },
        file(Readable.from(slowBytes())),
      ),
    ).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' });
    expect(await storedFiles()).toEqual(before);
  });

  it('given a storage that fails, then the upload fails with its error and writes no row', async () => {
    const { ticket, support } = await setup();
    const broken: Storage = { ...storage, put: async () => Promise.reject(new Error('disk full')) };
    await expect(
      uploadAttachment(
        { ...deps, storage: broken },
        support.actor,
        { ticketId: ticket.id, internal: false },
        file(Readable.from([Buffer.from('x'.repeat(100))])),
      ),
    ).rejects.toThrow('disk full');
    expect(
      await db.selectFrom('attachments').select('id').where('ticketId', '=', ticket.id).execute(),
    ).toEqual([]);
  });

  it('given a caller who may not see the ticket, then it fails before reading a byte', async () => {
    const { ticket, client } = await setup();
    const content = Readable.from([Buffer.from('never read')]);
    await expect(
      uploadAttachment(deps, client.actor, { ticketId: ticket.id, internal: false }, file(content)),
    ).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' });
    expect(content.readableDidRead).toBe(false);
  });
});
