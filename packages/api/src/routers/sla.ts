import { t } from '../init';
import { getSlaSettings } from '../procedures/sla/get';
import { updateSlaCalendar } from '../procedures/sla/update-calendar';
import { updateSlaPolicy } from '../procedures/sla/update-policy';

export const slaRouter = t.router({
  get: getSlaSettings,
  updatePolicy: updateSlaPolicy,
  updateCalendar: updateSlaCalendar,
});
