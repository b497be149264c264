import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { LoadMore } from '../components/TicketTable';
import { Empty, ErrorMessage, Loading, PageTitle } from '../components/ui';
import { timeAgo } from '../format';

export function Workspaces() {
  const api = useTickets();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery(
    api.workspaces.list.infiniteQueryOptions(
      { limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const empty = { name: '', slug: '', allowSignUp: false };
  const [form, setForm] = useState(empty);
  const create = useMutation(
    api.workspaces.create.mutationOptions({
      onSuccess: () => {
        setForm(empty);
        void queryClient.invalidateQueries({ queryKey: api.workspaces.pathKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(form);
  };
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageTitle>Workspaces</PageTitle>
      <form className="card stack" onSubmit={submit} aria-labelledby="create-workspace-heading">
        <h2 id="create-workspace-heading">Create a workspace</h2>
        <div className="row">
          <label>
            Name
            <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label>
            Address (slug)
            <input
              required
              pattern="[a-z0-9][a-z0-9-]*"
              title="Lower-case letters, digits and dashes"
              value={form.slug}
              onChange={(e) => setForm({ ...form, slug: e.target.value })}
            />
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={form.allowSignUp}
              onChange={(e) => setForm({ ...form, allowSignUp: e.target.checked })}
            />
            Requesters may sign up
          </label>
        </div>
        <ErrorMessage error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create workspace'}
        </button>
      </form>
      <ErrorMessage error={list.error} />
      {list.isPending ? (
        <Loading what="workspaces" />
      ) : items.length === 0 ? (
        <Empty>
          <p>No workspace yet. Create the first one above, then its first admin under Users.</p>
        </Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Sign-up</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((workspace) => (
              <tr key={workspace.id}>
                <td>{workspace.name}</td>
                <td>{workspace.slug}</td>
                <td>{workspace.allowSignUp ? 'Open' : 'By invitation'}</td>
                <td>{timeAgo(workspace.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
        what="workspaces"
      />
    </>
  );
}
