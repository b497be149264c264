import { useQuery } from '@tanstack/react-query';
import { ticketCategories, ticketPriorities, ticketStatuses } from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { useSearchParams } from 'react-router';
import { BarChart, DailyChart, DailyCountChart } from '../components/Charts';
import { Empty, ErrorMessage, Loading, PageTitle } from '../components/ui';
import { duration, label, percent } from '../format';

const windows = { '7': 'Last 7 days', '30': 'Last 30 days', '90': 'Last 90 days', all: 'All time' } as const;
type Window = keyof typeof windows;

/** Start of the window, at midnight so the query key (and the cache) holds for the whole day. */
function windowStart(window: Window): Date | undefined {
  if (window === 'all') return undefined;
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - Number(window) + 1);
  return start;
}

export function Stats() {
  const api = useTickets();
  const [params, setParams] = useSearchParams();
  const window: Window =
    (Object.keys(windows) as Window[]).find((key) => key === params.get('window')) ?? '30';
  const from = windowStart(window);
  const stats = useQuery(api.stats.generate.queryOptions(from ? { from } : {}));
  const data = stats.data;
  return (
    <>
      <PageTitle>Statistics</PageTitle>
      <label className="window">
        Window
        <select value={window} onChange={(e) => setParams({ window: e.target.value }, { replace: true })}>
          {(Object.keys(windows) as Window[]).map((key) => (
            <option key={key} value={key}>
              {windows[key]}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={stats.error} />
      {stats.isPending ? (
        <Loading what="statistics" />
      ) : !data ? null : data.totalTickets === 0 ? (
        <Empty>
          <p>No ticket was created in this window. Choose a longer window.</p>
        </Empty>
      ) : (
        <>
          <dl className="figures">
            <div>
              <dt>Tickets</dt>
              <dd>{data.totalTickets}</dd>
            </div>
            <div>
              <dt>Resolved</dt>
              <dd>{data.resolvedTickets}</dd>
            </div>
            <div>
              <dt>Escalated</dt>
              <dd>{data.escalatedTickets}</dd>
            </div>
            <div>
              <dt>Open and unassigned</dt>
              <dd>{data.unassignedOpenTickets}</dd>
            </div>
            <div>
              <dt>Average first response</dt>
              <dd>{duration(data.avgFirstResponseSeconds)}</dd>
            </div>
            <div>
              <dt>Average resolution</dt>
              <dd>{duration(data.avgResolutionSeconds)}</dd>
            </div>
          </dl>
          <DailyChart title="Tickets created and closed per day" days={data.daily} />
          <section aria-labelledby="sla-stats-heading">
            <h2 id="sla-stats-heading">Service levels</h2>
            <dl className="figures">
              {(
                [
                  ['First responses on target', data.serviceLevels.firstResponse],
                  ['Resolutions on target', data.serviceLevels.resolution],
                ] as const
              ).map(([name, outcome]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>
                    {percent(outcome.metShare)}
                    <span className="figure-detail">
                      {outcome.met + outcome.breached === 0
                        ? ' none decided yet'
                        : ` ${outcome.met} met, ${outcome.breached} missed`}
                    </span>
                  </dd>
                </div>
              ))}
            </dl>
            <DailyCountChart
              title="Service-level breaches per day"
              noun="breaches"
              days={data.daily.map((day) => ({ date: day.date, value: day.slaBreaches }))}
            />
          </section>
          <div className="charts">
            <BarChart
              title="By status"
              bars={ticketStatuses.map((key) => ({ label: label(key), value: data.byStatus[key] }))}
            />
            <BarChart
              title="By priority"
              bars={ticketPriorities.map((key) => ({ label: label(key), value: data.byPriority[key] }))}
            />
            <BarChart
              title="By category"
              bars={ticketCategories.map((key) => ({ label: label(key), value: data.byCategory[key] }))}
            />
          </div>
          <section aria-labelledby="assignees-heading">
            <h2 id="assignees-heading">By assignee</h2>
            {data.byAssignee.length === 0 ? (
              <Empty>
                <p>No ticket in this window was assigned.</p>
              </Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Assignee</th>
                    <th scope="col">Open</th>
                    <th scope="col">Closed</th>
                  </tr>
                </thead>
                <tbody>
                  {data.byAssignee.map((row) => (
                    <tr key={row.assigneeId}>
                      <td>{row.name}</td>
                      <td>{row.open}</td>
                      <td>{row.closed}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}
