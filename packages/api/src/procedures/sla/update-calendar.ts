import {
  slaSettingsSchema,
  updateSlaCalendarInput,
  updateSlaCalendar as updateSlaCalendarService,
} from '@tickets/core';
import { adminProcedure } from '../base';

export const updateSlaCalendar = adminProcedure
  .meta({
    summary:
      'Sets the business-hours calendar (IANA time zone, weekly opening hours, holidays) as a new policy version.',
  })
  .input(updateSlaCalendarInput)
  .output(slaSettingsSchema)
  .mutation(({ ctx, input }) => updateSlaCalendarService(ctx.services.db, ctx.actor, input));
