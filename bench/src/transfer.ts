import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readOptions } from './options';
import { residentBytes } from './processes';
import { ensureSeeded } from './seed';
import { buildServer, startApp } from './server-bundle';

// `pnpm --filter @tickets/bench transfer [--tickets N]`: uploads then downloads one 1 GiB file through
// the real server with curl, sampling the server's resident memory every 50 ms.

const run = promisify(execFile);
const SIZE = 1024 ** 3;

const options = readOptions();
const fixture = await ensureSeeded({ serverUrl: options.serverUrl, tickets: options.scales[0] as number });
const work = await mkdtemp(join(tmpdir(), 'tickets-bench-transfer-'));
const source = join(work, 'upload.bin');
await new Promise<void>((resolve, reject) => {
  const out = createWriteStream(source);
  const block = Buffer.alloc(1024 ** 2);
  for (let index = 0; index < block.length; index += 1) block[index] = (index * 31 + 7) % 251;
  let written = 0;
  const more = () => {
    while (written < SIZE) {
      written += block.length;
      if (!out.write(block)) return void out.once('drain', more);
    }
    out.end(resolve);
  };
  out.on('error', reject);
  more();
});

buildServer();
const server = await startApp(fixture, join(work, 'storage'), {
  env: { MAX_UPLOAD_BYTES: String(2 * SIZE) },
});

async function measured<T>(action: () => Promise<T>) {
  const before = residentBytes(server.pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, residentBytes(server.pid));
  }, 50);
  const started = performance.now();
  try {
    const result = await action();
    const seconds = (performance.now() - started) / 1000;
    return {
      result,
      seconds,
      growthMiB: (peak - before) / 1024 ** 2,
      mibPerSecond: SIZE / 1024 ** 2 / seconds,
    };
  } finally {
    clearInterval(sampler);
  }
}

try {
  const base = `http://127.0.0.1:${server.port}/api/attachments`;
  const auth = `Authorization: Bearer ${fixture.support.token}`;
  const ticketId = fixture.activeTicketIds[0] as string;
  const upload = await measured(async () => {
    const { stdout } = await run(
      'curl',
      [
        '-sS',
        '-H',
        auth,
        '-F',
        `ticketId=${ticketId}`,
        '-F',
        `file=@${source};type=application/octet-stream`,
        base,
      ],
      { maxBuffer: 1024 ** 2 },
    );
    const answer = JSON.parse(stdout) as { id?: string };
    if (!answer.id) throw new Error(`upload refused: ${stdout}`);
    return { id: answer.id };
  });
  const download = await measured(() =>
    run('curl', ['-sS', '-f', '-H', auth, '-o', join(work, 'download.bin'), `${base}/${upload.result.id}`]),
  );
  const line = (name: string, figures: { seconds: number; growthMiB: number; mibPerSecond: number }) =>
    `| ${name} | ${figures.seconds.toFixed(1)} | ${figures.mibPerSecond.toFixed(0)} | ${figures.growthMiB.toFixed(1)} |`;
  process.stdout.write(
    `${[
      '| 1 GiB | s | MiB/s | server RSS growth (MiB, peak − before) |',
      '| --- | ---: | ---: | ---: |',
      line('upload', upload),
      line('download', download),
    ].join('\n')}\n`,
  );
} finally {
  await server.stop();
  await rm(work, { recursive: true, force: true });
}
