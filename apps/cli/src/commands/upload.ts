import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { requireId, usageError } from '../errors';
import { printJson, wantsJson } from '../format';

export function registerUpload(program: Command, ctx: CliContext): void {
  program
    .command('upload')
    .description('attach a file to a ticket')
    .argument('<id>', 'ticket id')
    .argument('<file>', 'path of the file')
    .option('--internal', 'visible to staff only (staff only)')
    .action(async (rawId: string, path: string, options: { internal?: boolean }, command: Command) => {
      const ticketId = requireId(rawId);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) throw usageError(`${path}: no such file.`);
      const { client } = await connect(ctx);
      // Streamed from disk with its size declared, so the server refuses a too-large file before it is sent.
      const attachment = await client.uploadAttachment({
        ticketId,
        file: createReadStream(path),
        size: info.size,
        internal: options.internal === true,
      });
      if (wantsJson(command)) printJson(ctx.stdout, attachment);
      else {
        ctx.stdout.write(
          `Attached ${attachment.filename} (${attachment.size} bytes, ${attachment.contentType}) ` +
            `to ${ticketId} as ${attachment.id}.\n`,
        );
      }
    });
}
