import type { Attachment, Message, Page, TicketsClient } from '@tickets/client';
import type { Command } from 'commander';
import { connect, myId } from '../client';
import type { CliContext } from '../context';
import { requireId } from '../errors';
import { formatFields, formatTime, printJson, wantsJson } from '../format';

// A thread longer than this is cut with a note: a terminal is not the place to read ten thousand replies.
const MAX_PAGES = 20;

/** Every page of a list, up to MAX_PAGES of 100. */
async function allPages<T>(
  read: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await read(cursor);
    items.push(...result.items);
    if (!result.nextCursor) return { items, complete: true };
    cursor = result.nextCursor;
  }
  return { items, complete: false };
}

function loadThread(client: TicketsClient, ticketId: string) {
  return Promise.all([
    client.tickets.get.query({ id: ticketId }),
    myId(client),
    allPages<Message>((cursor) => client.messages.list.query({ ticketId, cursor, limit: 100 })),
    allPages<Attachment>((cursor) => client.attachments.list.query({ ticketId, cursor, limit: 100 })),
  ]);
}

export function registerShow(program: Command, ctx: CliContext): void {
  program
    .command('show')
    .description('show a ticket with its messages and attachments')
    .argument('<id>', 'ticket id')
    .action(async (rawId: string, _options: unknown, command: Command) => {
      const id = requireId(rawId);
      const { client } = await connect(ctx);
      const [ticket, me, messages, attachments] = await loadThread(client, id);
      if (wantsJson(command)) {
        printJson(ctx.stdout, { ticket, messages: messages.items, attachments: attachments.items });
        return;
      }
      const out = ctx.stdout;
      out.write(`${ticket.title}\n\n`);
      out.write(
        formatFields([
          ['Id', ticket.id],
          ['Status', ticket.isEscalated ? `${ticket.status} (escalated)` : ticket.status],
          ['Priority', ticket.priority],
          ['Category', ticket.category],
          [
            'Assignee',
            ticket.assignedTo === null ? '-' : ticket.assignedTo === me ? 'you' : ticket.assignedTo,
          ],
          ['Created', formatTime(ticket.createdAt)],
          ['Updated', formatTime(ticket.updatedAt)],
        ]),
      );
      out.write(`\n${ticket.description}\n`);
      for (const message of messages.items) {
        const note = message.internal ? ' · internal note' : '';
        out.write(
          `\n--- ${message.author.name} (${message.author.role}) · ${formatTime(message.createdAt)}${note}\n`,
        );
        out.write(`${message.body}\n`);
      }
      if (!messages.complete) out.write(`\n(only the first ${messages.items.length} messages are shown)\n`);
      if (attachments.items.length > 0) {
        out.write('\nAttachments:\n');
        for (const file of attachments.items) {
          out.write(
            `  ${file.id}  ${file.filename}  ${file.size} bytes${file.internal ? '  internal' : ''}\n`,
          );
        }
      }
    });
}
