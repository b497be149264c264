import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { withProductionNodeEnv } from './testing/production-env';

// The browser tests run against the built console, as the server serves it in production. Rebuild it
// when dist/ is missing or older than any source it is made from (the console's, the SDK's, and the enum
// lists the SDK bundles from @tickets/db).
const webDir = fileURLToPath(new URL('..', import.meta.url));
const sources = [
  join(webDir, 'src'),
  join(webDir, 'index.html'),
  join(webDir, 'vite.config.ts'),
  join(webDir, '../../packages/client/src'),
  join(webDir, '../../packages/db/src/enums.ts'),
];

async function newestChange(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestChange(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

export default async function buildConsole() {
  const built = (await stat(join(webDir, 'dist/index.html')).catch(() => null))?.mtimeMs ?? 0;
  const changed = Math.max(...(await Promise.all(sources.map(newestChange))));
  if (built > changed) return;
  // What production serves, whoever runs this (Vitest's NODE_ENV would make a development build).
  await withProductionNodeEnv(() =>
    build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' }),
  );
}
