import {
  slaSettingsSchema,
  updateSlaPolicyInput,
  updateSlaPolicy as updateSlaPolicyService,
} from '@tickets/core';
import { adminProcedure } from '../base';

export const updateSlaPolicy = adminProcedure
  .input(updateSlaPolicyInput)
  .output(slaSettingsSchema)
  .mutation(({ ctx, input }) => updateSlaPolicyService(ctx.services.db, ctx.actor, input));
