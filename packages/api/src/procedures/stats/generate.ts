import { generateStats, generateStatsInput, statsSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const generateStatsProcedure = procedureFor('stats:read')
  .meta({
    summary:
      'Ticket statistics of a workspace: counts by status, priority, category and assignee, resolution and first-response times, optionally within a date range.',
    errors: ['WORKSPACE_REQUIRED', 'WORKSPACE_NOT_FOUND'],
  })
  .input(generateStatsInput)
  .output(statsSchema)
  .query(({ ctx, input }) => generateStats(ctx.services.db, ctx.actor, input));
