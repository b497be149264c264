import { slaSettingsSchema, updateSlaPolicy, updateSlaPolicyInput } from '@tickets/core';
import { procedureFor } from '../base';

export const updateSlaPolicyProcedure = procedureFor('sla:manage')
  .meta({
    summary:
      'Sets the per-priority targets as a new policy version; tickets already running keep the version their clock started on.',
  })
  .input(updateSlaPolicyInput)
  .output(slaSettingsSchema)
  .mutation(({ ctx, input }) => updateSlaPolicy(ctx.services.db, ctx.actor, input));
