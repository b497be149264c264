import type { Command } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { requireId } from '../errors';
import { printJson, wantsJson } from '../format';

interface ReplyOptions {
  body: string;
  internal?: boolean;
}

export function registerReply(program: Command, ctx: CliContext): void {
  program
    .command('reply')
    .description('answer on a ticket, or leave an internal note (staff)')
    .argument('<id>', 'ticket id')
    .requiredOption('--body <text>', 'the message')
    .option('--internal', 'an internal note, never shown to the requester (staff only)')
    .action(async (rawId: string, options: ReplyOptions, command: Command) => {
      const ticketId = requireId(rawId);
      const { client } = await connect(ctx);
      const message = await client.messages.create.mutate({
        ticketId,
        body: options.body,
        internal: options.internal === true,
      });
      if (wantsJson(command)) printJson(ctx.stdout, message);
      else
        ctx.stdout.write(
          `${message.internal ? 'Internal note' : 'Reply'} ${message.id} added to ${ticketId}.\n`,
        );
    });
}
