import type { Ticket } from '@tickets/client';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { describeTarget, label, type NameOf, timeAgo } from '../format';
import { useNow } from './ServiceLevels';
import { Badge } from './ui';

export function TicketTable({
  tickets,
  nameOf,
  showAssignee,
  showDue = false,
  caption,
}: {
  tickets: Ticket[];
  nameOf: NameOf;
  showAssignee: boolean;
  /** The service-level column: the next due time, or the breach. */
  showDue?: boolean;
  caption: string;
}) {
  const now = useNow();
  return (
    <table className="tickets">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Status</th>
          <th scope="col">Priority</th>
          <th scope="col">Category</th>
          {showAssignee ? <th scope="col">Assignee</th> : null}
          {showDue ? <th scope="col">Due</th> : null}
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {tickets.map((ticket) => (
          <tr key={ticket.id} data-ticket-id={ticket.id}>
            <td>
              <Link to={`/tickets/${ticket.id}`}>{ticket.title}</Link>
              {ticket.isEscalated ? (
                <>
                  {' '}
                  <Badge kind="escalated">Escalated</Badge>
                </>
              ) : null}
            </td>
            <td>
              <Badge kind={`status-${ticket.status}`}>{label(ticket.status)}</Badge>
            </td>
            <td>
              <Badge kind={`priority-${ticket.priority}`}>{label(ticket.priority)}</Badge>
            </td>
            <td>{label(ticket.category)}</td>
            {showAssignee ? <td>{ticket.assignedTo ? nameOf(ticket.assignedTo) : 'Unassigned'}</td> : null}
            {showDue ? (
              <td data-testid="due">
                <DueCell ticket={ticket} now={now} />
              </td>
            ) : null}
            <td>
              <time dateTime={ticket.updatedAt.toISOString()} title={ticket.updatedAt.toLocaleString()}>
                {timeAgo(ticket.updatedAt)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A row's service level: a breach first, else the nearest running target, else nothing to watch. */
function DueCell({ ticket, now }: { ticket: Ticket; now: number }) {
  const sla = ticket.sla;
  if (!sla) return <>—</>;
  const breached = ticket.status !== 'closed' && (sla.firstResponseBreached || sla.resolutionBreached);
  if (breached) return <Badge kind="breached">Breached</Badge>;
  if (sla.paused && ticket.status !== 'closed') return <>Paused</>;
  if (!sla.nextDueAt) return <>—</>;
  return (
    <time dateTime={sla.nextDueAt.toISOString()} title={sla.nextDueAt.toLocaleString()}>
      {describeTarget({ dueAt: sla.nextDueAt, breached: false, done: false, paused: false }, now)}
    </time>
  );
}

/**
 * Infinite scroll by keyset cursor: the next page loads when the end of the list comes into view; the
 * button does the same for keyboards and for readers who prefer to ask.
 */
export function LoadMore({
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  what,
}: {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  what: string;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) fetchNextPage();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  if (!hasNextPage) return null;
  return (
    <div ref={sentinel} className="load-more">
      <button type="button" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
        {isFetchingNextPage ? `Loading more ${what}…` : `Load more ${what}`}
      </button>
    </div>
  );
}
