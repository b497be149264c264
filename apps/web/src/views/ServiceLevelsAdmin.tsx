import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type RouterInputs,
  type RouterOutputs,
  type TicketPriority,
  ticketPriorities,
} from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { ErrorMessage, Loading, PageTitle } from '../components/ui';
import { label } from '../format';

type SlaSettings = RouterOutputs['sla']['get'];
type Calendar = NonNullable<RouterInputs['sla']['updateCalendar']['businessHours']>;
type Interval = Calendar['hours'][number];

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
// Priorities from the most urgent down, as a support manager reads a policy.
const byUrgency = [...ticketPriorities].reverse();

/**
 * `/admin/service-levels`: the workspace's targets per priority and its business-hours calendar. Each
 * save writes a new policy version; tickets already running keep the version they started on.
 */
export function ServiceLevelsAdmin() {
  const api = useTickets();
  const settings = useQuery(api.sla.get.queryOptions({}));
  if (settings.isPending) return <Loading what="the service levels" />;
  return (
    <>
      <PageTitle>Service levels</PageTitle>
      <ErrorMessage error={settings.error} />
      {settings.data ? (
        <>
          <p className="hint">
            Policy version {settings.data.version}, changed {settings.data.updatedAt.toLocaleString()}.
            Changes apply to tickets created after them; open tickets keep the targets they started with.
          </p>
          {/* Keyed by workspace, not version: a save keeps the form (and its "saved" line) as it is. */}
          <TargetsForm key={`targets-${settings.data.workspaceId}`} settings={settings.data} />
          <CalendarForm key={`calendar-${settings.data.workspaceId}`} settings={settings.data} />
        </>
      ) : null}
    </>
  );
}

function useSettingsSaved() {
  const api = useTickets();
  const queryClient = useQueryClient();
  return (saved: SlaSettings) => queryClient.setQueryData(api.sla.get.queryKey({}), saved);
}

function TargetsForm({ settings }: { settings: SlaSettings }) {
  const api = useTickets();
  const saved = useSettingsSaved();
  const [targets, setTargets] = useState(settings.targets);
  const [done, setDone] = useState(false);
  const update = useMutation(
    api.sla.updatePolicy.mutationOptions({
      onSuccess: (answer) => {
        saved(answer);
        setDone(true);
      },
    }),
  );
  const set = (
    priority: TicketPriority,
    field: 'firstResponseMinutes' | 'resolutionMinutes',
    value: string,
  ) => {
    setDone(false);
    setTargets({ ...targets, [priority]: { ...targets[priority], [field]: Number(value) } });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ targets });
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="targets-heading">
      <h2 id="targets-heading">Targets per priority</h2>
      <table>
        <caption className="visually-hidden">First-response and resolution targets, in minutes</caption>
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">First response (minutes)</th>
            <th scope="col">Resolution (minutes)</th>
          </tr>
        </thead>
        <tbody>
          {byUrgency.map((priority) => (
            <tr key={priority}>
              <th scope="row">{label(priority)}</th>
              <td>
                <input
                  type="number"
                  min={1}
                  required
                  aria-label={`${label(priority)} first response (minutes)`}
                  value={targets[priority].firstResponseMinutes}
                  onChange={(e) => set(priority, 'firstResponseMinutes', e.target.value)}
                />
              </td>
              <td>
                <input
                  type="number"
                  min={1}
                  required
                  aria-label={`${label(priority)} resolution (minutes)`}
                  value={targets[priority].resolutionMinutes}
                  onChange={(e) => set(priority, 'resolutionMinutes', e.target.value)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorMessage error={update.error} />
      {done ? (
        <p role="status" className="success">
          Targets saved.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save targets'}
      </button>
    </form>
  );
}

const defaultHours: Interval[] = [1, 2, 3, 4, 5].map((weekday) => ({
  weekday,
  start: '09:00',
  end: '17:00',
}));

function CalendarForm({ settings }: { settings: SlaSettings }) {
  const api = useTickets();
  const saved = useSettingsSaved();
  const current = settings.businessHours;
  const [businessHours, setBusinessHours] = useState(current !== null);
  const [timeZone, setTimeZone] = useState(
    current?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
  );
  const [hours, setHours] = useState<Interval[]>(current?.hours ?? defaultHours);
  const [holidays, setHolidays] = useState((current?.holidays ?? []).join('\n'));
  const [done, setDone] = useState(false);
  const update = useMutation(
    api.sla.updateCalendar.mutationOptions({
      onSuccess: (answer) => {
        saved(answer);
        setDone(true);
      },
    }),
  );
  const change = (index: number, patch: Partial<Interval>) => {
    setDone(false);
    setHours(hours.map((interval, i) => (i === index ? { ...interval, ...patch } : interval)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      businessHours: businessHours
        ? {
            timeZone: timeZone.trim(),
            hours,
            holidays: holidays
              .split(/[\s,]+/)
              .map((day) => day.trim())
              .filter(Boolean),
          }
        : null,
    });
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">Business hours</h2>
      <fieldset>
        <legend>Targets are measured in</legend>
        <label className="inline">
          <input
            type="radio"
            name="measure"
            checked={!businessHours}
            onChange={() => {
              setDone(false);
              setBusinessHours(false);
            }}
          />
          Calendar hours (around the clock)
        </label>
        <label className="inline">
          <input
            type="radio"
            name="measure"
            checked={businessHours}
            onChange={() => {
              setDone(false);
              setBusinessHours(true);
            }}
          />
          Business hours
        </label>
      </fieldset>
      {businessHours ? (
        <>
          <label>
            Time zone
            <input
              required
              value={timeZone}
              onChange={(e) => setTimeZone(e.target.value)}
              placeholder="Europe/Berlin"
              aria-describedby="time-zone-hint"
            />
          </label>
          <p className="hint" id="time-zone-hint">
            An IANA name such as Europe/Berlin or America/New_York.
          </p>
          <fieldset>
            <legend>Weekly opening hours</legend>
            {hours.length === 0 ? <p className="hint">No opening hours yet: add at least one.</p> : null}
            <ul className="intervals">
              {hours.map((interval, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
                <li key={index}>
                  <label>
                    Day
                    <select
                      value={interval.weekday}
                      onChange={(e) => change(index, { weekday: Number(e.target.value) })}
                    >
                      {weekdays.map((day, i) => (
                        <option key={day} value={i + 1}>
                          {day}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    Opens
                    <input
                      type="time"
                      required
                      value={interval.start}
                      onChange={(e) => change(index, { start: e.target.value })}
                    />
                  </label>
                  <label>
                    Closes
                    <input
                      type="text"
                      required
                      pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00"
                      inputMode="numeric"
                      value={interval.end}
                      onChange={(e) => change(index, { end: e.target.value })}
                      aria-describedby="closes-hint"
                    />
                  </label>
                  <button
                    type="button"
                    onClick={() => setHours(hours.filter((_, i) => i !== index))}
                    aria-label={`Remove ${weekdays[interval.weekday - 1]} ${interval.start}–${interval.end}`}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
            <p className="hint" id="closes-hint">
              Closing times are HH:MM; 24:00 closes at midnight.
            </p>
            <button
              type="button"
              onClick={() => setHours([...hours, { weekday: 1, start: '09:00', end: '17:00' }])}
            >
              Add opening hours
            </button>
          </fieldset>
          <label>
            Holidays (one date a line, YYYY-MM-DD)
            <textarea rows={4} value={holidays} onChange={(e) => setHolidays(e.target.value)} />
          </label>
        </>
      ) : null}
      <ErrorMessage error={update.error} />
      {done ? (
        <p role="status" className="success">
          Business hours saved.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save business hours'}
      </button>
    </form>
  );
}
