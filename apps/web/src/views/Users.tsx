import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Role, roles, type User } from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { LoadMore } from '../components/TicketTable';
import { Empty, ErrorMessage, Loading, PageTitle, pick } from '../components/ui';
import { label } from '../format';
import { useUser } from '../session';

/** Roles this user may hand out: admins create support staff and requesters; a superadmin, anything. */
const grantable = (role: Role): Role[] =>
  role === 'superadmin' ? [...roles] : ['support', 'writer', 'client'];

export function Users() {
  const api = useTickets();
  const list = useInfiniteQuery(
    api.users.list.infiniteQueryOptions(
      { limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageTitle>Users</PageTitle>
      <CreateUser />
      <ErrorMessage error={list.error} />
      {list.isPending ? (
        <Loading what="users" />
      ) : items.length === 0 ? (
        <Empty>
          <p>No users yet. Create the first one above.</p>
        </Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((person) => (
              <UserRow key={person.id} person={person} />
            ))}
          </tbody>
        </table>
      )}
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
        what="users"
      />
    </>
  );
}

function UserRow({ person }: { person: User }) {
  const api = useTickets();
  const me = useUser();
  const queryClient = useQueryClient();
  const update = useMutation(
    api.users.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: api.users.pathKey() }),
    }),
  );
  const self = person.id === me.id;
  const choices = [...new Set([person.role, ...grantable(me.role)])];
  return (
    <tr>
      <td>{person.name}</td>
      <td>{person.email}</td>
      <td>
        <label>
          <span className="visually-hidden">Role of {person.name}</span>
          <select
            value={person.role}
            disabled={self || update.isPending}
            onChange={(e) => update.mutate({ id: person.id, role: pick(choices, e.target.value) })}
          >
            {choices.map((role) => (
              <option key={role} value={role}>
                {label(role)}
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={update.error} />
      </td>
      <td>
        {person.isActive ? 'Active' : 'Deactivated'}{' '}
        {self ? null : (
          <button
            type="button"
            disabled={update.isPending}
            onClick={() => update.mutate({ id: person.id, isActive: !person.isActive })}
          >
            {person.isActive ? `Deactivate ${person.name}` : `Reactivate ${person.name}`}
          </button>
        )}
      </td>
    </tr>
  );
}

function CreateUser() {
  const api = useTickets();
  const me = useUser();
  const queryClient = useQueryClient();
  const superadmin = me.role === 'superadmin';
  const workspaces = useQuery({ ...api.workspaces.list.queryOptions({ limit: 100 }), enabled: superadmin });
  const empty: { name: string; email: string; password: string; role: Role; workspaceId: string } = {
    name: '',
    email: '',
    password: '',
    role: 'client',
    workspaceId: '',
  };
  const [form, setForm] = useState(empty);
  const create = useMutation(
    api.users.create.mutationOptions({
      onSuccess: () => {
        setForm(empty);
        void queryClient.invalidateQueries({ queryKey: api.users.pathKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { workspaceId, ...rest } = form;
    create.mutate({ ...rest, ...(superadmin && workspaceId ? { workspaceId } : {}) });
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="create-user-heading">
      <h2 id="create-user-heading">Create a user</h2>
      <div className="row">
        <label>
          Name
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          E-mail
          <input
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </label>
        <label>
          Initial password
          <input
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <label>
          Role
          <select
            value={form.role}
            onChange={(e) => setForm({ ...form, role: pick(grantable(me.role), e.target.value) })}
          >
            {grantable(me.role).map((role) => (
              <option key={role} value={role}>
                {label(role)}
              </option>
            ))}
          </select>
        </label>
        {superadmin ? (
          <label>
            Workspace
            <select
              value={form.workspaceId}
              onChange={(e) => setForm({ ...form, workspaceId: e.target.value })}
            >
              <option value="">None (superadmin only)</option>
              {(workspaces.data?.items ?? []).map((workspace) => (
                <option key={workspace.id} value={workspace.id}>
                  {workspace.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <ErrorMessage error={create.error} />
      {create.isSuccess ? <p role="status">User created.</p> : null}
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create user'}
      </button>
    </form>
  );
}
