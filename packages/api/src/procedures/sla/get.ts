import {
  getSlaSettingsInput,
  getSlaSettings as getSlaSettingsService,
  slaSettingsSchema,
} from '@tickets/core';
import { staffProcedure } from '../base';

export const getSlaSettings = staffProcedure
  .input(getSlaSettingsInput)
  .output(slaSettingsSchema)
  .query(({ ctx, input }) => getSlaSettingsService(ctx.services.db, ctx.actor, input));
