import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification } from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { LoadMore } from '../components/TicketTable';
import { Empty, ErrorMessage, Loading, PageTitle } from '../components/ui';
import { describeNotification, label, timeAgo } from '../format';
import { usePeople } from '../people';

export function Notifications() {
  const api = useTickets();
  const queryClient = useQueryClient();
  const { nameOf } = usePeople();
  const list = useInfiniteQuery(
    api.notifications.list.infiniteQueryOptions(
      {},
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: api.notifications.pathKey() });
  const markRead = useMutation(api.notifications.markRead.mutationOptions({ onSuccess: refresh }));
  const markAllRead = useMutation(api.notifications.markAllRead.mutationOptions({ onSuccess: refresh }));
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageTitle
        actions={
          <button
            type="button"
            onClick={() => markAllRead.mutate()}
            disabled={markAllRead.isPending || items.length === 0}
          >
            Mark all read
          </button>
        }
      >
        Notifications
      </PageTitle>
      <ErrorMessage error={list.error ?? markRead.error ?? markAllRead.error} />
      {list.isPending ? (
        <Loading what="notifications" />
      ) : items.length === 0 ? (
        <Empty>
          <p>
            No notifications. You will be told here when someone replies, assigns or changes your tickets.
          </p>
        </Empty>
      ) : (
        <ul className="notifications">
          {items.map((notification) => (
            <NotificationItem
              key={notification.id}
              notification={notification}
              text={describeNotification(notification, nameOf)}
              onRead={() => markRead.mutate({ ids: [notification.id] })}
            />
          ))}
        </ul>
      )}
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
        what="notifications"
      />
      <Preferences />
    </>
  );
}

function NotificationItem({
  notification,
  text,
  onRead,
}: {
  notification: Notification;
  text: string;
  onRead: () => void;
}) {
  const unread = notification.readAt === null;
  return (
    <li className={unread ? 'unread' : undefined}>
      {unread ? <span className="visually-hidden">Unread: </span> : null}
      {text} · <time dateTime={notification.createdAt.toISOString()}>{timeAgo(notification.createdAt)}</time>{' '}
      {notification.ticketId ? <Link to={`/tickets/${notification.ticketId}`}>Open the ticket</Link> : null}{' '}
      {unread ? (
        <button type="button" onClick={onRead}>
          Mark read
        </button>
      ) : null}
    </li>
  );
}

function Preferences() {
  const api = useTickets();
  const queryClient = useQueryClient();
  const preferences = useQuery(api.notifications.getPreferences.queryOptions());
  const [draft, setDraft] = useState<Record<string, boolean> | null>(null);
  const save = useMutation(
    api.notifications.updatePreferences.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(api.notifications.getPreferences.queryKey(), saved);
        setDraft(null);
      },
    }),
  );
  if (preferences.isPending) return <Loading what="e-mail preferences" />;
  if (preferences.error) return <ErrorMessage error={preferences.error} />;
  const current = { ...preferences.data.email, ...draft };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ email: current });
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="preferences-heading">
      <h2 id="preferences-heading">E-mail me when</h2>
      {(Object.keys(preferences.data.email) as (keyof typeof preferences.data.email)[]).map((type) => (
        <label key={type} className="inline">
          <input
            type="checkbox"
            checked={current[type]}
            onChange={(e) => setDraft({ ...draft, [type]: e.target.checked })}
          />
          {label(type.replace('.', ' '))}
        </label>
      ))}
      <ErrorMessage error={save.error} />
      {save.isSuccess && !draft ? <p role="status">Preferences saved.</p> : null}
      <button type="submit" disabled={save.isPending || !draft}>
        Save preferences
      </button>
    </form>
  );
}
