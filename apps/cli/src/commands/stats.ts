import type { Command } from 'commander';
import { connect } from '../client';
import type { CliContext } from '../context';
import { requireId, usageError } from '../errors';
import { formatFields, formatTable, printJson, wantsJson } from '../format';

function instant(value: string, flag: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw usageError(`${flag} "${value}" is not a date (e.g. 2026-12-01).`);
  return date;
}

const duration = (seconds: number | null) => {
  if (seconds === null) return '-';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
};

export function registerStats(program: Command, ctx: CliContext): void {
  program
    .command('stats')
    .description('ticket statistics of your workspace (staff), optionally within --from/--to')
    .option('--from <date>', 'tickets created from this day or instant (inclusive)')
    .option('--to <date>', 'up to this day or instant (exclusive)')
    .option('--workspace <id>', 'superadmin: one workspace (default: all)')
    .action(async (options: { from?: string; to?: string; workspace?: string }, command: Command) => {
      const input = {
        from: options.from === undefined ? undefined : instant(options.from, '--from'),
        to: options.to === undefined ? undefined : instant(options.to, '--to'),
        workspaceId: options.workspace === undefined ? undefined : requireId(options.workspace, 'workspace'),
      };
      const { client } = await connect(ctx);
      const stats = await client.stats.generate.query(input);
      if (wantsJson(command)) {
        printJson(ctx.stdout, stats);
        return;
      }
      ctx.stdout.write(
        formatFields([
          ['Tickets', String(stats.totalTickets)],
          ['Resolved', String(stats.resolvedTickets)],
          ['Escalated', String(stats.escalatedTickets)],
          ['Unassigned, open', String(stats.unassignedOpenTickets)],
          ['Average resolution', duration(stats.avgResolutionSeconds)],
          ['Average first response', duration(stats.avgFirstResponseSeconds)],
        ]),
      );
      const counts = (record: Record<string, number>) =>
        Object.entries(record)
          .filter(([, count]) => count > 0)
          .map(([key, count]) => `${key} ${count}`)
          .join(', ') || '-';
      ctx.stdout.write(
        formatFields([
          ['By status', counts(stats.byStatus)],
          ['By priority', counts(stats.byPriority)],
          ['By category', counts(stats.byCategory)],
        ]),
      );
      if (stats.byAssignee.length > 0) {
        ctx.stdout.write('\n');
        ctx.stdout.write(
          formatTable(
            ['ASSIGNEE', 'OPEN', 'CLOSED'],
            stats.byAssignee.map((row) => [row.name, String(row.open), String(row.closed)]),
          ),
        );
      }
    });
}
