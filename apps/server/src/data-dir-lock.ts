import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Another live process holds the embedded database (a server, usually): an expected failure. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database ${dataDir} is in use by process ${holderPid}. Stop it first, or set ` +
        'DATABASE_URL to use PostgreSQL, which many processes can share.',
    );
  }
}

/**
 * PGlite has no multi-process locking: a second process opening the same folder reads a stale copy and
 * the two overwrite each other's writes. A pid file beside the folder makes the second one fail
 * instead. A lock left by a dead process (crash, kill -9) is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = `${dataDir}.lock`;
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return () => unlink(path).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (isOtherLiveProcess(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      await unlink(path).catch(() => {});
    }
  }
  throw new Error(`Could not lock the embedded database ${dataDir} (${path} keeps reappearing).`);
}

function isOtherLiveProcess(pid: number): boolean {
  // Our own pid in the file is a leftover: containers often restart with the same pid (1).
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
