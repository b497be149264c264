import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTickets } from '@tickets/client/react';
import { useParams } from 'react-router';
import { LoadMore } from '../components/TicketTable';
import { Empty, ErrorMessage, Loading, PageTitle } from '../components/ui';
import { describeEvent, timeAgo } from '../format';
import { usePeople } from '../people';
import { TicketTabs } from './TicketView';

/** The ticket's audit log as sentences ("Grace assigned this to Ada · 2 minutes ago"). */
export function TicketHistory() {
  const { id = '' } = useParams();
  const api = useTickets();
  const { nameOf } = usePeople();
  const ticket = useQuery(api.tickets.get.queryOptions({ id }));
  const events = useInfiniteQuery(
    api.logs.list.infiniteQueryOptions(
      { ticketId: id, limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageTitle>{ticket.data ? `History: ${ticket.data.title}` : 'History'}</PageTitle>
      <TicketTabs id={id} />
      <ErrorMessage error={ticket.error ?? events.error} />
      {events.isPending ? (
        <Loading what="the history" />
      ) : items.length === 0 ? (
        <Empty>
          <p>Nothing has happened on this ticket yet.</p>
        </Empty>
      ) : (
        <ol className="history">
          {items.map((event) => (
            <li key={event.id}>
              {describeEvent(event, nameOf)} ·{' '}
              <time dateTime={event.createdAt.toISOString()} title={event.createdAt.toLocaleString()}>
                {timeAgo(event.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
      <LoadMore
        hasNextPage={events.hasNextPage}
        isFetchingNextPage={events.isFetchingNextPage}
        fetchNextPage={events.fetchNextPage}
        what="events"
      />
    </>
  );
}
