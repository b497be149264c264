import type { Command } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { requireId } from '../errors';
import { formatTable, formatTime, printJson, wantsJson } from '../format';
import { integerBetween } from '../parsers';

interface LogsOptions {
  ticket?: string;
  actor?: string;
  limit?: number;
  cursor?: string;
}

export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description("the audit log, newest first: one ticket's (--ticket), or the workspace's (staff)")
    .option('--ticket <id>', 'only this ticket')
    .option('--actor <id>', 'only what this user did')
    .option('--limit <n>', 'how many (1-100, default 25)', integerBetween(1, 100))
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .action(async (options: LogsOptions, command: Command) => {
      const ticketId = options.ticket === undefined ? undefined : requireId(options.ticket);
      const actorId = options.actor === undefined ? undefined : requireId(options.actor, 'user');
      const { client } = await connect(ctx);
      const page = await client.logs.list.query({
        ticketId,
        actorId,
        limit: options.limit,
        cursor: options.cursor,
      });
      if (wantsJson(command)) {
        printJson(ctx.stdout, page);
        return;
      }
      if (page.items.length === 0) {
        ctx.stdout.write('No events.\n');
        return;
      }
      const rows = page.items.map((event) => [
        formatTime(event.createdAt),
        event.action,
        event.ticketId ?? '-',
        event.actorId?.slice(0, 8) ?? 'system',
        event.internal ? 'internal' : '',
      ]);
      ctx.stdout.write(formatTable(['WHEN', 'ACTION', 'TICKET', 'ACTOR', ''], rows));
      if (page.nextCursor) ctx.stdout.write(`\nMore: tickets logs --cursor ${page.nextCursor} …\n`);
    });
}
