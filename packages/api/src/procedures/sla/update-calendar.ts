import { slaSettingsSchema, updateSlaCalendar, updateSlaCalendarInput } from '@tickets/core';
import { procedureFor } from '../base';

export const updateSlaCalendarProcedure = procedureFor('sla:manage')
  .meta({
    summary:
      'Sets the business-hours calendar (IANA time zone, weekly opening hours, holidays) as a new policy version.',
  })
  .input(updateSlaCalendarInput)
  .output(slaSettingsSchema)
  .mutation(({ ctx, input }) => updateSlaCalendar(ctx.services.db, ctx.actor, input));
