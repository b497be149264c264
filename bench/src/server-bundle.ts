import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from './processes';
import type { Fixture } from './seed';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const serverDir = join(repoRoot, 'apps/server');
const entries = {
  /** What production runs (`pnpm start`, scripts/start.sh). */
  bundle: ['dist/main.js'],
  /** The TypeScript sources through tsx: CPU profiles then name each workspace package's files. */
  sources: ['--import', 'tsx', 'src/main.ts'],
};

/** Builds apps/server/dist from the current sources (tsdown, about a second); its output goes to stderr. */
export function buildServer(): void {
  execFileSync('pnpm', ['run', 'build'], { cwd: serverDir, stdio: ['ignore', 2, 2] });
}

export interface AppOptions {
  /** The Node.js binary; the bench's own by default. */
  node?: string;
  /** Before the entry: profilers, preloads. */
  nodeArgs?: string[];
  entry?: keyof typeof entries;
  /** More settings of the server's environment (e.g. MAX_UPLOAD_BYTES). */
  env?: Record<string, string>;
  /** Server processes (WORKERS); above 1 it is ready once the primary says every worker listens. */
  workers?: number;
}

/**
 * The real server (NODE_ENV=production, per-user rate limit raised) on a free loopback port, over the
 * bench database or an embedded one.
 */
export function startApp(
  target: Pick<Fixture, 'databaseUrl'> | { dataDir: string },
  storageDir: string,
  { node, nodeArgs = [], entry = 'bundle', env = {}, workers = 1 }: AppOptions = {},
): Promise<RunningServer> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return startServer([...nodeArgs, ...entries[entry]], {
    cwd: serverDir,
    node,
    readyMessage: workers > 1 ? 'cluster listening' : 'listening',
    env: {
      ...inherited,
      NODE_ENV: 'production',
      ...('databaseUrl' in target ? { DATABASE_URL: target.databaseUrl } : { DATA_DIR: target.dataDir }),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      STORAGE_DIR: storageDir,
      // The bench is one user hammering the server: the per-user limit would answer 429 within a second.
      RATE_LIMIT_PER_USER_PER_MINUTE: '1000000',
      WORKERS: String(workers),
      ...env,
    },
  });
}
