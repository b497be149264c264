import { type ListTicketsInput, ticketCategories, ticketPriorities, ticketStatuses } from '@tickets/client';
import { type Command, Option } from 'commander';
import { connect, myId } from '../client';
import type { CliContext } from '../context';
import { requireId } from '../errors';
import { formatTable, formatTime, printJson, truncate, wantsJson } from '../format';
import { integerBetween } from '../parsers';

// The input is optional (no input is the first page): its object form is the one with the filters.
type ListInput = Extract<ListTicketsInput, object>;

interface ListOptions {
  status?: ListInput['status'];
  priority?: ListInput['priority'];
  category?: ListInput['category'];
  assignee?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('list the tickets you can see, newest first')
    .addOption(new Option('--status <status>', 'only this status').choices(ticketStatuses))
    .addOption(new Option('--priority <priority>', 'only this priority').choices(ticketPriorities))
    .addOption(new Option('--category <category>', 'only this category').choices(ticketCategories))
    .option('--assignee <who>', '"me", "none" (unassigned) or a user id')
    .option('--q <search>', 'full-text search in title and description')
    .option('--limit <n>', 'how many (1-100, default 25)', integerBetween(1, 100))
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .action(async (options: ListOptions, command: Command) => {
      const { assignee } = options;
      const assigneeId =
        assignee === undefined || assignee === 'none' || assignee === 'me'
          ? undefined
          : requireId(assignee, 'user');
      const { client } = await connect(ctx);
      // Asked alongside the list (one batched request) to label the caller's own tickets "me".
      const me = myId(client);
      const assignedTo = assignee === 'me' ? await me : (assigneeId ?? assignee);
      const list = client.tickets.list.query({
        status: options.status,
        priority: options.priority,
        category: options.category,
        assignedTo,
        q: options.q,
        limit: options.limit,
        cursor: options.cursor,
      });
      const [myUserId, page] = await Promise.all([me, list]);
      if (wantsJson(command)) {
        printJson(ctx.stdout, page);
        return;
      }
      if (page.items.length === 0) {
        ctx.stdout.write('No tickets.\n');
        return;
      }
      const rows = page.items.map((ticket) => [
        ticket.id,
        ticket.isEscalated && ticket.status !== 'escalated' ? `${ticket.status}!` : ticket.status,
        ticket.priority,
        ticket.assignedTo === null
          ? '-'
          : ticket.assignedTo === myUserId
            ? 'me'
            : ticket.assignedTo.slice(0, 8),
        formatTime(ticket.updatedAt),
        truncate(ticket.title, 60),
      ]);
      ctx.stdout.write(formatTable(['ID', 'STATUS', 'PRIORITY', 'ASSIGNEE', 'UPDATED', 'TITLE'], rows));
      if (page.nextCursor) ctx.stdout.write(`\nMore: tickets list --cursor ${page.nextCursor} …\n`);
    });
}
