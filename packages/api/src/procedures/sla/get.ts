import {
  getSlaSettingsInput,
  getSlaSettings as getSlaSettingsService,
  slaSettingsSchema,
} from '@tickets/core';
import { staffProcedure } from '../base';

export const getSlaSettings = staffProcedure
  .meta({
    summary:
      "The workspace's service-level policy in force (per-priority first-response and resolution targets) and its business-hours calendar.",
  })
  .input(getSlaSettingsInput)
  .output(slaSettingsSchema)
  .query(({ ctx, input }) => getSlaSettingsService(ctx.services.db, ctx.actor, input));
