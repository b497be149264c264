import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live. Keys are chosen by the domain (random UUIDs, never derived from a
 * file's name); drivers still refuse anything else, so a key can never address a path outside them.
 */
export interface Storage {
  /**
   * Stores `content` under `key`, reading it to its end; resolves once the object is complete.
   * If the content errors or the write fails, it rejects and leaves nothing under `key`.
   */
  put(key: string, content: Readable): Promise<void>;
  /** The object's bytes. Rejects with StorageObjectNotFoundError before any byte when it is missing. */
  get(key: string): Promise<Readable>;
  /** Removes the object; removing a missing one succeeds (cleanup paths call it blindly). */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export class StorageObjectNotFoundError extends Error {
  override name = 'StorageObjectNotFoundError';
  constructor(readonly key: string) {
    super(`No stored object under key ${key}.`);
  }
}

const storageKeyPattern = /^[a-z0-9][a-z0-9-]{7,127}$/;

/** Defends the drivers against keys that are not ours (path separators, dots, odd characters). */
export function assertStorageKey(key: string): void {
  if (!storageKeyPattern.test(key)) throw new Error('Invalid storage key.');
}
