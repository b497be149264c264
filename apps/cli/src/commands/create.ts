import { type CreateTicketInput, ticketCategories, ticketPriorities } from '@tickets/client';
import { type Command, Option } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { printJson, wantsJson } from '../format';

interface CreateOptions {
  title: string;
  description: string;
  priority?: CreateTicketInput['priority'];
  category?: CreateTicketInput['category'];
}

export function registerCreate(program: Command, ctx: CliContext): void {
  program
    .command('create')
    .description('open a ticket')
    .requiredOption('--title <title>', 'one line, up to 200 characters')
    .requiredOption('--description <text>', 'what happened')
    .addOption(new Option('--priority <priority>', 'default medium').choices(ticketPriorities))
    .addOption(new Option('--category <category>', 'default general').choices(ticketCategories))
    .action(async (options: CreateOptions, command: Command) => {
      const { client } = await connect(ctx);
      const ticket = await client.tickets.create.mutate({
        title: options.title,
        description: options.description,
        priority: options.priority,
        category: options.category,
      });
      if (wantsJson(command)) printJson(ctx.stdout, ticket);
      else ctx.stdout.write(`Created ticket ${ticket.id} (${ticket.priority}, ${ticket.category}).\n`);
    });
}
