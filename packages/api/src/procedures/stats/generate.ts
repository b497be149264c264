import { generateStatsInput, generateStats as generateStatsService, statsSchema } from '@tickets/core';
import { staffProcedure } from '../base';

export const generateStats = staffProcedure
  .meta({
    summary:
      'Ticket statistics of a workspace: counts by status, priority, category and assignee, resolution and first-response times, optionally within a date range.',
    errors: ['WORKSPACE_REQUIRED', 'WORKSPACE_NOT_FOUND'],
  })
  .input(generateStatsInput)
  .output(statsSchema)
  .query(({ ctx, input }) => generateStatsService(ctx.services.db, ctx.actor, input));
