import { generateStatsInput, generateStats as generateStatsService, statsSchema } from '@tickets/core';
import { staffProcedure } from '../base';

export const generateStats = staffProcedure
  .input(generateStatsInput)
  .output(statsSchema)
  .query(({ ctx, input }) => generateStatsService(ctx.services.db, ctx.actor, input));
