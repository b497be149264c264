import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Buckets a V8 .cpuprofile's self time by where each function's code lives: a dependency (by package
// name under node_modules), our own workspace packages, Node's internals, or V8's pseudo-nodes.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The profile's samples with their self time, leaving out the first `skipMicros` (the process's start:
 * module loading would otherwise drown the steady state being measured).
 */
async function readSamples(file: string, skipMicros: number) {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  let elapsed = 0;
  const samples: Array<{ id: number; micros: number }> = [];
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    elapsed += delta;
    if (elapsed >= skipMicros) samples.push({ id, micros: delta });
  });
  return { nodes: profile.nodes, samples };
}

const groups: Array<[bucket: string, packages: RegExp]> = [
  ['trpc', /^@trpc\//],
  ['zod', /^zod$/],
  ['superjson', /^(superjson|copy-anything|is-what)$/],
  ['kysely', /^kysely/],
  ['pg', /^(pg|pg-.*|pgpass|postgres-.*)$/],
  ['hono', /^(hono|@hono\/.*)$/],
  ['pino', /^(pino|pino-.*|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|atomic-sleep)$/],
  ['tsx (loader)', /^(tsx|esbuild|get-tsconfig|source-map-support)$/],
];

export function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inModules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (inModules?.[1]) {
    const name = inModules[1];
    return groups.find(([, pattern]) => pattern.test(name))?.[0] ?? `other: ${name}`;
  }
  const ours = /\/(packages|apps)\/([^/]+)\/src\//.exec(path);
  if (ours) return `ours: ${ours[1]}/${ours[2]}`;
  return 'other';
}

export interface ProfileShare {
  bucket: string;
  ms: number;
  share: number;
}

export async function summariseProfile(file: string, skipMicros = 0): Promise<ProfileShare[]> {
  const profile = await readSamples(file, skipMicros);
  const bucketById = new Map(
    profile.nodes.map((node) => [node.id, bucketOf(node.callFrame.url, node.callFrame.functionName)]),
  );
  const micros = new Map<string, number>();
  for (const sample of profile.samples) {
    const bucket = bucketById.get(sample.id) ?? 'other';
    micros.set(bucket, (micros.get(bucket) ?? 0) + sample.micros);
  }
  // Idle time is the process waiting on the network or the database, not work it did.
  micros.delete('(idle)');
  const total = [...micros.values()].reduce((sum, value) => sum + value, 0) || 1;
  return [...micros.entries()]
    .map(([bucket, value]) => ({ bucket, ms: value / 1000, share: value / total }))
    .sort((a, b) => b.ms - a.ms);
}

export function profileTable(shares: ProfileShare[]): string {
  const rows = shares.map(
    (share) => `| ${share.bucket} | ${share.ms.toFixed(0)} | ${(share.share * 100).toFixed(1)} % |`,
  );
  return ['| where | self time (ms) | share of busy time |', '| --- | ---: | ---: |', ...rows].join('\n');
}

export interface FunctionShare {
  name: string;
  where: string;
  ms: number;
  share: number;
}

/** Self time by function (name and source position), the `top` largest. */
export async function summariseFunctions(file: string, skipMicros = 0, top = 25): Promise<FunctionShare[]> {
  const profile = await readSamples(file, skipMicros);
  const keyById = new Map(
    profile.nodes.map((node) => {
      const { functionName, url, lineNumber } = node.callFrame;
      const short = url
        .replace(/^file:\/\//, '')
        .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '');
      return [
        node.id,
        `${functionName || '(anonymous)'}\t${short ? `${short}:${(lineNumber ?? 0) + 1}` : ''}`,
      ];
    }),
  );
  const micros = new Map<string, number>();
  for (const sample of profile.samples) {
    const key = keyById.get(sample.id) ?? 'other\t';
    micros.set(key, (micros.get(key) ?? 0) + sample.micros);
  }
  micros.delete('(idle)\t');
  const total = [...micros.values()].reduce((sum, value) => sum + value, 0) || 1;
  return [...micros.entries()]
    .map(([key, value]) => {
      const [name = '', where = ''] = key.split('\t');
      return { name, where, ms: value / 1000, share: value / total };
    })
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

export function functionTable(shares: FunctionShare[]): string {
  const rows = shares.map(
    (share) =>
      `| ${share.name} | ${share.where} | ${share.ms.toFixed(0)} | ${(share.share * 100).toFixed(1)} % |`,
  );
  return [
    '| function | where | self time (ms) | share of busy time |',
    '| --- | --- | ---: | ---: |',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, skipSeconds = '0'] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [seconds of start-up to skip]');
  const skip = Number(skipSeconds) * 1_000_000;
  process.stdout.write(`${profileTable(await summariseProfile(file, skip))}\n\n`);
  process.stdout.write(`${functionTable(await summariseFunctions(file, skip))}\n`);
}
