import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDiskStorage } from './local-disk-storage';
import { createS3Storage, type S3Storage } from './s3-storage';
import { type Storage, StorageObjectNotFoundError } from './storage';

// One contract, two drivers: local disk, and S3 against a local s3rver on a free port.

const folders: string[] = [];
const tempFolder = async (prefix: string) => {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
};

let s3rver: S3rver;
let s3: S3Storage;
let s3rverDir: string;
let localDir: string;
let local: Storage;

beforeAll(async () => {
  localDir = await tempFolder('tickets-local-storage-');
  local = createLocalDiskStorage(localDir);
  s3rverDir = await tempFolder('tickets-s3rver-');
  s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: s3rverDir,
    silent: true,
    configureBuckets: [{ name: 'attachments' }],
  });
  const { port } = await s3rver.run();
  s3 = createS3Storage({
    bucket: 'attachments',
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  });
});

afterAll(async () => {
  s3?.destroy();
  await s3rver?.close();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Every file under a folder, recursively: what a driver really left on disk. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Yields the chunks, then fails: a client that goes away mid-upload. */
async function* failingAfter(chunks: Buffer[]) {
  yield* chunks;
  throw new Error('connection reset');
}

const read = async (content: Readable) => Buffer.concat(await content.toArray());

describe.each([
  { name: 'local disk', storage: () => local, leftovers: () => filesUnder(localDir) },
  {
    name: 'S3 (s3rver)',
    storage: () => s3,
    leftovers: () => filesUnder(s3rverDir),
  },
])('the $name storage driver', ({ storage, leftovers }) => {
  it('given bytes put under a key, then get returns them exactly and exists says so, until deleted', async () => {
    const key = randomUUID();
    const bytes = Buffer.from('hello, attachments \u00e9\u65e5');
    await storage().put(key, Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    expect(await storage().exists(key)).toBe(true);
    expect((await read(await storage().get(key))).equals(bytes)).toBe(true);
    await storage().delete(key);
    expect(await storage().exists(key)).toBe(false);
    await expect(storage().get(key)).rejects.toBeInstanceOf(StorageObjectNotFoundError);
  });

  it('given a file larger than one S3 part (5 MiB), then it round-trips byte for byte', async () => {
    const key = randomUUID();
    const bytes = Buffer.alloc(6 * 1024 * 1024 + 123);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) =>
      bytes.subarray(i * 65_536, (i + 1) * 65_536),
    );
    await storage().put(key, Readable.from(chunks));
    expect((await read(await storage().get(key))).equals(bytes)).toBe(true);
    await storage().delete(key);
  });

  // (Within one S3 part: a failure after several parts aborts the multi-part upload, which s3rver does
  // not implement, so only real S3 or MinIO can show that path.)
  it('given a stream that fails midway, then put rejects and leaves no bytes behind', async () => {
    const before = await leftovers();
    const key = randomUUID();
    await expect(storage().put(key, Readable.from(failingAfter([Buffer.alloc(70_000, 1)])))).rejects.toThrow(
      'connection reset',
    );
    expect(await storage().exists(key)).toBe(false);
    expect(await leftovers()).toEqual(before);
  });

  it('given deleting a key that holds nothing, then it succeeds (cleanup paths call it blindly)', async () => {
    await expect(storage().delete(randomUUID())).resolves.toBeUndefined();
  });

  it.each(['../../etc/passwd', 'a/b', '', '.hidden-key-123', 'UPPER-CASE-KEY'])(
    'given a key that is not one of ours (%j), then every operation refuses it',
    async (key) => {
      await expect(storage().put(key, Readable.from([Buffer.from('x')]))).rejects.toThrow(
        'Invalid storage key',
      );
      await expect(storage().get(key)).rejects.toThrow('Invalid storage key');
      await expect(storage().delete(key)).rejects.toThrow('Invalid storage key');
    },
  );
});

describe('the local disk storage driver', () => {
  it('given a stored object, then it sits under objects/<first two chars>/<key> and no temp file remains', async () => {
    const key = randomUUID();
    await local.put(key, Readable.from([Buffer.from('x')]));
    expect(await filesUnder(localDir)).toContain(join(localDir, 'objects', key.slice(0, 2), key));
    expect(await filesUnder(join(localDir, 'tmp'))).toEqual([]);
  });
});
