import type { Ticket } from '@tickets/client';
import { useEffect, useState } from 'react';
import { describeTarget, type TargetState } from '../format';

/** The current time, moving on every half minute, so "due in …" stays true while the page is open. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The ticket's two targets in words ("Resolution due in 3 h 20 min", "breached 2 h ago"). */
export function ServiceLevels({ ticket }: { ticket: Ticket }) {
  const now = useNow();
  const sla = ticket.sla;
  const targets: Array<{ name: string; state: TargetState }> = sla
    ? [
        {
          name: 'First response',
          state: {
            dueAt: sla.firstResponseDueAt,
            breached: sla.firstResponseBreached,
            done: ticket.firstResponseAt !== null,
            paused: sla.paused,
          },
        },
        {
          name: 'Resolution',
          state: {
            dueAt: sla.resolutionDueAt,
            breached: sla.resolutionBreached,
            done: ticket.status === 'closed',
            paused: sla.paused,
          },
        },
      ]
    : [];
  return (
    <section className="card" aria-labelledby="sla-heading">
      <h2 id="sla-heading">Service levels</h2>
      {!sla ? (
        <p className="hint">This ticket has no service-level clock.</p>
      ) : (
        <ul className="sla" data-testid="sla">
          {targets.map(({ name, state }) => {
            const words = describeTarget(state, now);
            const late = words.startsWith('breached') || words === 'missed';
            return (
              <li key={name} className={late ? 'sla-late' : undefined}>
                {state.dueAt && !state.done && !state.paused ? (
                  <time dateTime={state.dueAt.toISOString()} title={state.dueAt.toLocaleString()}>
                    {name} {words}
                  </time>
                ) : (
                  `${name} ${words}`
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
