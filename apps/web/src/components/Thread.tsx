import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Message, Ticket } from '@tickets/client';
import { type TicketsQueryOptions, useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { isStaff, label, timeAgo } from '../format';
import { useUser } from '../session';
import { LoadMore } from './TicketTable';
import { Badge, Empty, ErrorMessage, Loading } from './ui';

/** The conversation's pages (the ticket page starts this query together with the ticket's own). */
export const messagesQuery = (api: TicketsQueryOptions, ticketId: string) =>
  api.messages.list.infiniteQueryOptions(
    { ticketId, limit: 50 },
    { getNextPageParam: (last) => last.nextCursor ?? undefined },
  );

/** The conversation: public replies, and for staff the internal notes, set apart so they are never mistaken. */
export function Thread({ ticket }: { ticket: Ticket }) {
  const api = useTickets();
  const messages = useInfiniteQuery(messagesQuery(api, ticket.id));
  const items = messages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="thread-heading">
      <h2 id="thread-heading">Conversation</h2>
      <ErrorMessage error={messages.error} />
      {messages.isPending ? (
        <Loading what="the conversation" />
      ) : items.length === 0 ? (
        <Empty>
          <p>No replies yet.</p>
        </Empty>
      ) : (
        <ol className="thread">
          {items.map((message) => (
            <MessageItem key={message.id} message={message} />
          ))}
        </ol>
      )}
      <LoadMore
        hasNextPage={messages.hasNextPage}
        isFetchingNextPage={messages.isFetchingNextPage}
        fetchNextPage={messages.fetchNextPage}
        what="messages"
      />
      <Composer ticket={ticket} />
    </section>
  );
}

function MessageItem({ message }: { message: Message }) {
  return (
    <li
      className={message.internal ? 'message internal' : 'message'}
      data-testid={message.internal ? 'internal-note' : 'reply'}
    >
      <p className="meta">
        <strong>{message.author.name}</strong> <span className="role">{label(message.author.role)}</span> ·{' '}
        <time dateTime={message.createdAt.toISOString()} title={message.createdAt.toLocaleString()}>
          {timeAgo(message.createdAt)}
        </time>
        {message.internal ? (
          <>
            {' '}
            <Badge kind="internal">Internal note · not visible to the requester</Badge>
          </>
        ) : null}
      </p>
      <p className="body">{message.body}</p>
    </li>
  );
}

function Composer({ ticket }: { ticket: Ticket }) {
  const api = useTickets();
  const user = useUser();
  const queryClient = useQueryClient();
  const staff = isStaff(user.role);
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const send = useMutation(
    api.messages.create.mutationOptions({
      onSuccess: () => {
        setBody('');
        setIdempotencyKey(crypto.randomUUID());
        for (const key of [api.messages.pathKey(), api.tickets.pathKey(), api.logs.pathKey()]) {
          void queryClient.invalidateQueries({ queryKey: key });
        }
      },
    }),
  );
  if (!staff && ticket.status === 'closed') {
    return <p className="hint">This ticket is closed: reopen it to reply.</p>;
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate({ ticketId: ticket.id, body, internal: staff && internal, idempotencyKey });
  };
  return (
    <form
      onSubmit={submit}
      className={`card stack composer${internal ? ' internal' : ''}`}
      aria-label="Write a message"
    >
      {staff ? (
        <fieldset className="row">
          <legend>Kind of message</legend>
          <label className="inline">
            <input type="radio" name="kind" checked={!internal} onChange={() => setInternal(false)} />
            Public reply
          </label>
          <label className="inline">
            <input type="radio" name="kind" checked={internal} onChange={() => setInternal(true)} />
            Internal note (staff only)
          </label>
        </fieldset>
      ) : null}
      <label>
        {internal ? 'Internal note' : 'Your reply'}
        <textarea
          required
          rows={4}
          maxLength={50_000}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      </label>
      <ErrorMessage error={send.error} />
      <button type="submit" className="primary" disabled={send.isPending}>
        {send.isPending ? 'Sending…' : internal ? 'Add internal note' : 'Send reply'}
      </button>
    </form>
  );
}
