import { useInfiniteQuery } from '@tanstack/react-query';
import { useTickets } from '@tickets/client/react';
import { Link } from 'react-router';
import { LoadMore, TicketTable } from '../components/TicketTable';
import { Empty, ErrorMessage, Loading, PageTitle } from '../components/ui';
import { usePeople } from '../people';

/** A requester's own tickets (the server only lists those), newest activity first. */
export function MyTickets() {
  const api = useTickets();
  const { nameOf } = usePeople();
  const list = useInfiniteQuery(
    api.tickets.list.infiniteQueryOptions(
      { sort: 'updated' },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const tickets = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageTitle
        actions={
          <Link className="button primary" to="/tickets/new">
            New ticket
          </Link>
        }
      >
        My tickets
      </PageTitle>
      <ErrorMessage error={list.error} />
      {list.isPending ? (
        <Loading what="your tickets" />
      ) : tickets.length === 0 ? (
        <Empty>
          <p>You have not opened any ticket yet.</p>
          <p>
            <Link to="/tickets/new">Open your first ticket</Link> and the support team will answer here.
          </p>
        </Empty>
      ) : (
        <TicketTable tickets={tickets} nameOf={nameOf} showAssignee={false} caption="My tickets" />
      )}
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
        what="tickets"
      />
    </>
  );
}
