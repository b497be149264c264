import { getSlaSettings, getSlaSettingsInput, slaSettingsSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const getSlaSettingsProcedure = procedureFor('sla:read')
  .meta({
    summary:
      "The workspace's service-level policy in force (per-priority first-response and resolution targets) and its business-hours calendar.",
  })
  .input(getSlaSettingsInput)
  .output(slaSettingsSchema)
  .query(({ ctx, input }) => getSlaSettings(ctx.services.db, ctx.actor, input));
