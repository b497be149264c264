import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, type Storage, StorageObjectNotFoundError } from './storage';

/**
 * Attachments on local disk under `root`: `objects/<first two key chars>/<key>`, so no folder grows
 * without bound. Writes go to `tmp/` and are renamed into place (same file system, so atomic): a
 * reader never sees half an object, and a crash leaves only a temp file, never a truncated object.
 */
export function createLocalDiskStorage(root: string): Storage {
  const tmpDir = join(root, 'tmp');
  const pathOf = (key: string) => {
    assertStorageKey(key);
    return join(root, 'objects', key.slice(0, 2), key);
  };

  return {
    async put(key, content: Readable) {
      const target = pathOf(key);
      await mkdir(join(target, '..'), { recursive: true });
      await mkdir(tmpDir, { recursive: true });
      const temp = join(tmpDir, `${key}.${randomUUID()}`);
      try {
        await pipeline(content, createWriteStream(temp, { flags: 'wx' }));
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async get(key) {
      try {
        // Opened before returning, so a missing file fails here and not after response headers went out.
        const handle = await open(pathOf(key), 'r');
        return handle.createReadStream();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageObjectNotFoundError(key);
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async exists(key) {
      try {
        await access(pathOf(key));
        return true;
      } catch {
        return false;
      }
    },
  };
}
