import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { describe, expectTypeOf, it } from 'vitest';
import type { TicketsClient } from './client';
import { type TicketsQueryOptions, useTickets, useTicketsClient } from './react';
import type { Message, Stats, Ticket } from './types';

// The React entry is built on @trpc/tanstack-react-query 11.22.1 while the router type comes from
// @trpc/server 11.25.2 (see docs/DECISIONS.md): these types fail the build the day the two disagree.
declare const api: TicketsQueryOptions;

describe('@tickets/client/react', () => {
  it('given useTickets(), then it returns the options proxy of the whole API', () => {
    expectTypeOf(useTickets).returns.toEqualTypeOf<TicketsQueryOptions>();
    expectTypeOf(useTicketsClient).returns.toEqualTypeOf<TicketsClient>();
  });

  it('given a query procedure, when passed to useQuery, then data is the procedure output', () => {
    const ticket = () => useQuery(api.tickets.get.queryOptions({ id: 't' }));
    expectTypeOf<ReturnType<typeof ticket>['data']>().toEqualTypeOf<Ticket | undefined>();
    const stats = () => useQuery(api.stats.generate.queryOptions({ from: new Date() }));
    expectTypeOf<ReturnType<typeof stats>['data']>().toEqualTypeOf<Stats | undefined>();
    // @ts-expect-error: the input is checked against the procedure's schema.
    api.tickets.get.queryOptions({ ticketId: 't' });
  });

  it('given the keyset list, when used with useInfiniteQuery, then pages are typed and the cursor is the page param', () => {
    const list = () =>
      useInfiniteQuery(
        api.tickets.list.infiniteQueryOptions(
          { status: 'open', sort: 'updated' },
          { getNextPageParam: (last) => last.nextCursor },
        ),
      );
    type Data = NonNullable<ReturnType<typeof list>['data']>;
    expectTypeOf<Data['pages'][number]['items'][number]>().toEqualTypeOf<Ticket>();
    expectTypeOf<Data['pages'][number]['nextCursor']>().toEqualTypeOf<string | null>();
    // The cursor a page hands back is what the next page is asked with.
    expectTypeOf<string>().toExtend<Data['pageParams'][number]>();
  });

  it('given a mutation procedure, when passed to useMutation, then variables and result are typed', () => {
    const reply = () => useMutation(api.messages.create.mutationOptions());
    type Mutation = ReturnType<typeof reply>;
    expectTypeOf<Parameters<Mutation['mutate']>[0]>().toExtend<{ ticketId: string; body: string }>();
    expectTypeOf<Mutation['data']>().toEqualTypeOf<Message | undefined>();
  });

  it('given a query key, then invalidation can target a whole router or one procedure', () => {
    expectTypeOf(api.tickets.list.queryKey()).toBeArray();
    expectTypeOf(api.notifications.pathKey()).toBeArray();
  });
});
