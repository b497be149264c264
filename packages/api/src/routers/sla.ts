import { t } from '../init';
import { getSlaSettingsProcedure } from '../procedures/sla/get';
import { updateSlaCalendarProcedure } from '../procedures/sla/update-calendar';
import { updateSlaPolicyProcedure } from '../procedures/sla/update-policy';

export const slaRouter = t.router({
  get: getSlaSettingsProcedure,
  updatePolicy: updateSlaPolicyProcedure,
  updateCalendar: updateSlaCalendarProcedure,
});
