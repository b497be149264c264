import { useInfiniteQuery } from '@tanstack/react-query';
import {
  type ListTicketsInput,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
  ticketCategories,
  ticketPriorities,
  ticketStatuses,
} from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { LoadMore, TicketTable } from '../components/TicketTable';
import { Empty, ErrorMessage, Loading, PageTitle } from '../components/ui';
import { label } from '../format';
import { usePeople } from '../people';
import { useUser } from '../session';

const sorts = ['updated', 'created', 'priority', 'sla'] as const;
type Sort = (typeof sorts)[number];

const pick = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((candidate) => candidate === value);

// New tickets notify nobody (no recipient in the notification rules), so the first page is also
// re-read on a timer; every other change arrives through the notification stream (see Layout).
const newTicketPollMs = 5_000;

/** The staff queue: filters, full-text search and sort live in the URL, so a view can be bookmarked and shared. */
export function Queue() {
  const api = useTickets();
  const user = useUser();
  const { nameOf, staffMembers } = usePeople();
  const [params, setParams] = useSearchParams();
  const filters: ListTicketsInput = {
    status: pick<TicketStatus>(ticketStatuses, params.get('status')),
    priority: pick<TicketPriority>(ticketPriorities, params.get('priority')),
    category: pick<TicketCategory>(ticketCategories, params.get('category')),
    assignedTo: params.get('assignee') || undefined,
    isEscalated: params.get('escalated') === '1' ? true : undefined,
    sla: params.get('sla') === 'breached' ? 'breached' : undefined,
    q: params.get('q') || undefined,
    sort: pick<Sort>(sorts, params.get('sort')) ?? 'updated',
  };
  const [search, setSearch] = useState(filters.q ?? '');
  const list = useInfiniteQuery({
    ...api.tickets.list.infiniteQueryOptions(filters, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
    refetchInterval: newTicketPollMs,
  });
  const tickets = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = [...params.keys()].some((key) => key !== 'sort');

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    setParam('q', search.trim());
  };

  return (
    <>
      <PageTitle>Queue</PageTitle>
      <form className="filters" onSubmit={submitSearch} aria-label="Filter the queue">
        <label>
          Search
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Title or description"
          />
        </label>
        <button type="submit">Search</button>
        <label>
          Status
          <select value={filters.status ?? ''} onChange={(e) => setParam('status', e.target.value)}>
            <option value="">Any</option>
            {ticketStatuses.map((status) => (
              <option key={status} value={status}>
                {label(status)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={filters.priority ?? ''} onChange={(e) => setParam('priority', e.target.value)}>
            <option value="">Any</option>
            {ticketPriorities.map((priority) => (
              <option key={priority} value={priority}>
                {label(priority)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <select value={filters.category ?? ''} onChange={(e) => setParam('category', e.target.value)}>
            <option value="">Any</option>
            {ticketCategories.map((category) => (
              <option key={category} value={category}>
                {label(category)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Assignee
          <select value={filters.assignedTo ?? ''} onChange={(e) => setParam('assignee', e.target.value)}>
            <option value="">Anyone</option>
            <option value={user.id}>Me</option>
            {staffMembers
              .filter((member) => member.id !== user.id)
              .map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name}
                </option>
              ))}
          </select>
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={filters.isEscalated === true}
            onChange={(e) => setParam('escalated', e.target.checked ? '1' : '')}
          />
          Escalated only
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={filters.sla === 'breached'}
            onChange={(e) => setParam('sla', e.target.checked ? 'breached' : '')}
          />
          Breached only
        </label>
        <label>
          Sort by
          <select value={filters.sort} onChange={(e) => setParam('sort', e.target.value)}>
            <option value="updated">Last updated</option>
            <option value="created">Newest</option>
            <option value="priority">Priority</option>
            <option value="sla">Due soonest</option>
          </select>
        </label>
      </form>
      <ErrorMessage error={list.error} />
      {list.isPending ? (
        <Loading what="the queue" />
      ) : tickets.length === 0 ? (
        <Empty>
          {filtered ? (
            <p>No ticket matches these filters. Clear a filter or search for other words.</p>
          ) : (
            <p>
              The queue is empty: no ticket in this workspace yet. New tickets appear here as they arrive.
            </p>
          )}
        </Empty>
      ) : (
        <TicketTable tickets={tickets} nameOf={nameOf} showAssignee showDue caption="Tickets in the queue" />
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
