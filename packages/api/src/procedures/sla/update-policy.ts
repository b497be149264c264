import {
  slaSettingsSchema,
  updateSlaPolicyInput,
  updateSlaPolicy as updateSlaPolicyService,
} from '@tickets/core';
import { adminProcedure } from '../base';

export const updateSlaPolicy = adminProcedure
  .meta({
    summary:
      'Sets the per-priority targets as a new policy version; tickets already running keep the version their clock started on.',
  })
  .input(updateSlaPolicyInput)
  .output(slaSettingsSchema)
  .mutation(({ ctx, input }) => updateSlaPolicyService(ctx.services.db, ctx.actor, input));
