import type { Ticket } from '@tickets/client';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { label, type NameOf, timeAgo } from '../format';
import { Badge } from './ui';

export function TicketTable({
  tickets,
  nameOf,
  showAssignee,
  caption,
}: {
  tickets: Ticket[];
  nameOf: NameOf;
  showAssignee: boolean;
  caption: string;
}) {
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
