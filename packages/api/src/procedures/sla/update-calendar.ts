import {
  slaSettingsSchema,
  updateSlaCalendarInput,
  updateSlaCalendar as updateSlaCalendarService,
} from '@tickets/core';
import { adminProcedure } from '../base';

export const updateSlaCalendar = adminProcedure
  .input(updateSlaCalendarInput)
  .output(slaSettingsSchema)
  .mutation(({ ctx, input }) => updateSlaCalendarService(ctx.services.db, ctx.actor, input));
