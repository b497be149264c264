import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription, useTickets } from '@tickets/client/react';
import type { ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { isStaff, label } from '../format';
import { useUser } from '../session';
import { ErrorMessage } from './ui';

/**
 * Live updates: every notification pushed over SSE refreshes what it may have changed (the badge, the
 * lists, the open ticket). The subscription resumes from the last event id after a reconnection.
 */
function useLiveUpdates() {
  const api = useTickets();
  const queryClient = useQueryClient();
  useSubscription(
    api.notifications.onNotification.subscriptionOptions(undefined, {
      onData: () => {
        for (const key of [
          api.notifications.pathKey(),
          api.tickets.pathKey(),
          api.messages.pathKey(),
          api.attachments.pathKey(),
          api.logs.pathKey(),
        ]) {
          void queryClient.invalidateQueries({ queryKey: key });
        }
      },
    }),
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const user = useUser();
  const api = useTickets();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  useLiveUpdates();
  const unread = useQuery(api.notifications.unreadCount.queryOptions());
  const signOut = useMutation(
    api.auth.signOut.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        queryClient.setQueryData(api.auth.me.queryKey(), null);
        navigate('/sign-in');
      },
    }),
  );
  const staff = isStaff(user.role);
  const count = unread.data?.count ?? 0;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <nav aria-label="Main">
          <span className="brand">Tickets</span>
          <ul>
            {staff ? (
              <li>
                <NavLink to="/queue">Queue</NavLink>
              </li>
            ) : (
              <li>
                <NavLink to="/tickets" end>
                  My tickets
                </NavLink>
              </li>
            )}
            <li>
              <NavLink to="/tickets/new">New ticket</NavLink>
            </li>
            {staff ? (
              <li>
                <NavLink to="/stats">Statistics</NavLink>
              </li>
            ) : null}
            {user.role === 'admin' || user.role === 'superadmin' ? (
              <li>
                <NavLink to="/admin/users">Users</NavLink>
              </li>
            ) : null}
            {user.role === 'admin' ? (
              <>
                <li>
                  <NavLink to="/admin/service-levels">Service levels</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/webhooks">Webhooks</NavLink>
                </li>
              </>
            ) : null}
            {user.role === 'superadmin' ? (
              <li>
                <NavLink to="/admin/workspaces">Workspaces</NavLink>
              </li>
            ) : null}
            <li>
              <NavLink to="/notifications" aria-label={`Notifications, ${count} unread`}>
                Notifications{' '}
                <span className={count > 0 ? 'count unread' : 'count'} data-testid="unread-count">
                  {count}
                </span>
              </NavLink>
            </li>
          </ul>
        </nav>
        <div className="who">
          <span>
            {user.name} <span className="role">({label(user.role)})</span>
          </span>
          <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </button>
        </div>
      </header>
      <ErrorMessage error={signOut.error} />
      <main id="main">{children}</main>
    </>
  );
}
