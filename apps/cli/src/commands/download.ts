import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { requireId, usageError } from '../errors';
import { printJson, wantsJson } from '../format';

export function registerDownload(program: Command, ctx: CliContext): void {
  program
    .command('download')
    .description('save an attachment (to its own name in the current folder, unless -o says where)')
    .argument('<attachment-id>', 'attachment id (from `tickets show <ticket>`)')
    .option('-o, --output <path>', 'file to write, or a folder to write it into')
    .option('--force', 'overwrite an existing file')
    .action(async (rawId: string, options: { output?: string; force?: boolean }, command: Command) => {
      const id = requireId(rawId, 'attachment');
      const { client } = await connect(ctx);
      const { stream, filename, size } = await client.downloadAttachment(id, { signal: ctx.signal });
      const body = Readable.fromWeb(stream as NodeReadableStream<Uint8Array>);
      // The server sanitises names; basename() keeps a hostile one from escaping the folder all the same.
      const ownName = basename(filename) || id;
      const target = !options.output
        ? ownName
        : options.output.endsWith('/')
          ? join(options.output, ownName)
          : options.output;
      const file = createWriteStream(target, { flags: options.force ? 'w' : 'wx' });
      await pipeline(body, file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') throw usageError(`${target} exists: pass --force to overwrite it.`);
        throw error;
      });
      if (wantsJson(command)) printJson(ctx.stdout, { id, path: target, size });
      else ctx.stdout.write(`Saved ${target} (${size} bytes).\n`);
    });
}
