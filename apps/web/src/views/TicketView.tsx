import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  isTicketsError,
  type Ticket,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
  ticketCategories,
  ticketPriorities,
} from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { NavLink, useParams } from 'react-router';
import { Attachments, attachmentsQuery } from '../components/Attachments';
import { ServiceLevels } from '../components/ServiceLevels';
import { messagesQuery, Thread } from '../components/Thread';
import { Badge, ErrorMessage, Loading, PageTitle, pick } from '../components/ui';
import { isStaff, label, type NameOf, timeAgo } from '../format';
import { usePeople } from '../people';
import { useUser } from '../session';

/** Invalidates what a change to this ticket may have changed, and stores the ticket the server answered. */
export function useTicketChanged() {
  const api = useTickets();
  const queryClient = useQueryClient();
  return (ticket: Ticket) => {
    queryClient.setQueryData(api.tickets.get.queryKey({ id: ticket.id }), ticket);
    void queryClient.invalidateQueries({ queryKey: api.tickets.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: api.logs.pathKey() });
  };
}

export function TicketTabs({ id }: { id: string }) {
  return (
    <nav aria-label="Ticket" className="tabs">
      <NavLink to={`/tickets/${id}`} end>
        Conversation
      </NavLink>
      <NavLink to={`/tickets/${id}/history`}>History</NavLink>
    </nav>
  );
}

export function TicketView() {
  const { id = '' } = useParams();
  const api = useTickets();
  const user = useUser();
  const { nameOf } = usePeople();
  const ticket = useQuery(api.tickets.get.queryOptions({ id }));
  // Started here, with the ticket, rather than once it has arrived: one round trip for the page, not two.
  useInfiniteQuery(messagesQuery(api, id));
  useInfiniteQuery(attachmentsQuery(api, id));
  if (ticket.isPending) return <Loading what="the ticket" />;
  if (ticket.error) {
    return (
      <>
        <PageTitle>Ticket</PageTitle>
        <ErrorMessage error={ticket.error} />
      </>
    );
  }
  const data = ticket.data;
  const staff = isStaff(user.role);
  return (
    <>
      <PageTitle>{data.title}</PageTitle>
      <TicketTabs id={id} />
      <div className="ticket-layout">
        <div className="ticket-main">
          <section aria-labelledby="description-heading" className="card">
            <h2 id="description-heading" className="visually-hidden">
              Description
            </h2>
            <p className="meta">
              Opened by {nameOf(data.createdBy)}{' '}
              <time dateTime={data.createdAt.toISOString()}>{timeAgo(data.createdAt)}</time>
            </p>
            <p className="description">{data.description}</p>
          </section>
          <Thread ticket={data} />
          <Attachments ticket={data} />
        </div>
        <aside className="ticket-side" aria-label="Ticket details and actions">
          <Facts ticket={data} nameOf={nameOf} />
          <ServiceLevels ticket={data} />
          {staff ? <StaffActions ticket={data} /> : <RequesterActions ticket={data} />}
          <EditTicket key={data.id} ticket={data} />
        </aside>
      </div>
    </>
  );
}

function Facts({ ticket, nameOf }: { ticket: Ticket; nameOf: NameOf }) {
  return (
    <section className="card" aria-labelledby="facts-heading">
      <h2 id="facts-heading">Details</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <Badge kind={`status-${ticket.status}`}>{label(ticket.status)}</Badge>
          {ticket.isEscalated ? (
            <>
              {' '}
              <Badge kind="escalated">Escalated</Badge>
            </>
          ) : null}
        </dd>
        <dt>Priority</dt>
        <dd>
          <Badge kind={`priority-${ticket.priority}`}>{label(ticket.priority)}</Badge>
        </dd>
        <dt>Category</dt>
        <dd>{label(ticket.category)}</dd>
        <dt>Assignee</dt>
        <dd data-testid="assignee">{ticket.assignedTo ? nameOf(ticket.assignedTo) : 'Unassigned'}</dd>
        <dt>Updated</dt>
        <dd>{timeAgo(ticket.updatedAt)}</dd>
        <dt>Version</dt>
        <dd>{ticket.version}</dd>
      </dl>
    </section>
  );
}

function StaffActions({ ticket }: { ticket: Ticket }) {
  const api = useTickets();
  const user = useUser();
  const { staffMembers } = usePeople();
  const changed = useTicketChanged();
  const [assignee, setAssignee] = useState(ticket.assignedTo ?? '');
  const [reason, setReason] = useState('');
  const options = { onSuccess: changed };
  const assign = useMutation(api.tickets.assign.mutationOptions(options));
  const escalate = useMutation(api.tickets.escalate.mutationOptions(options));
  const close = useMutation(api.tickets.close.mutationOptions(options));
  const reopen = useMutation(api.tickets.reopen.mutationOptions(options));
  const pending = assign.isPending || escalate.isPending || close.isPending || reopen.isPending;
  const error = assign.error ?? escalate.error ?? close.error ?? reopen.error;
  const closed = ticket.status === 'closed';
  const submitAssign = (event: FormEvent) => {
    event.preventDefault();
    assign.mutate({ id: ticket.id, assigneeId: assignee || null });
  };
  return (
    <section className="card stack" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      <form onSubmit={submitAssign} className="row">
        <label>
          Assignee
          <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">Unassigned</option>
            {staffMembers.map((member) => (
              <option key={member.id} value={member.id}>
                {member.id === user.id ? `${member.name} (me)` : member.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={pending}>
          Assign
        </button>
      </form>
      <label>
        Reason (optional, for escalate, close and reopen)
        <input value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="row">
        {closed ? (
          <button
            type="button"
            disabled={pending}
            onClick={() => reopen.mutate({ id: ticket.id, reason: reason || undefined })}
          >
            Reopen
          </button>
        ) : (
          <>
            <button
              type="button"
              disabled={pending || ticket.isEscalated}
              onClick={() => escalate.mutate({ id: ticket.id, reason: reason || undefined })}
            >
              Escalate
            </button>
            <button
              type="button"
              disabled={pending}
              onClick={() => close.mutate({ id: ticket.id, reason: reason || undefined })}
            >
              Close ticket
            </button>
          </>
        )}
      </div>
      {pending ? <p role="status">Saving…</p> : null}
      <ErrorMessage error={error} />
    </section>
  );
}

function RequesterActions({ ticket }: { ticket: Ticket }) {
  const api = useTickets();
  const changed = useTicketChanged();
  const reopen = useMutation(api.tickets.reopen.mutationOptions({ onSuccess: changed }));
  if (ticket.status !== 'closed') return null;
  return (
    <section className="card stack" aria-labelledby="reopen-heading">
      <h2 id="reopen-heading">This ticket is closed</h2>
      <p>Still not solved? Reopen it and reply.</p>
      <button type="button" onClick={() => reopen.mutate({ id: ticket.id })} disabled={reopen.isPending}>
        Reopen ticket
      </button>
      <ErrorMessage error={reopen.error} />
    </section>
  );
}

type Draft = {
  title: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
};
const draftOf = (ticket: Ticket): Draft => ({
  title: ticket.title,
  description: ticket.description,
  category: ticket.category,
  priority: ticket.priority,
  status: ticket.status,
});
const editableStatuses: TicketStatus[] = ['open', 'in_progress', 'awaiting_response'];

/**
 * Edits with optimistic concurrency: the save carries the version the editor was opened on, so a
 * change made meanwhile by someone else answers CONFLICT instead of being overwritten. The conflict
 * shows the newer version and lets the user take it or save theirs over it knowingly.
 */
function EditTicket({ ticket }: { ticket: Ticket }) {
  const api = useTickets();
  const user = useUser();
  const queryClient = useQueryClient();
  const changed = useTicketChanged();
  const staff = isStaff(user.role);
  const [base, setBase] = useState<Ticket | null>(null);
  const [draft, setDraft] = useState<Draft>(draftOf(ticket));
  const [newer, setNewer] = useState<Ticket | null>(null);
  const update = useMutation(
    api.tickets.update.mutationOptions({
      onSuccess: (saved) => {
        changed(saved);
        setBase(null);
        setNewer(null);
      },
      onError: async (error) => {
        if (!isTicketsError(error, 'VERSION_CONFLICT')) return;
        setNewer(
          await queryClient.fetchQuery({ ...api.tickets.get.queryOptions({ id: ticket.id }), staleTime: 0 }),
        );
      },
    }),
  );
  if (ticket.status === 'closed' && !staff) return null;
  if (!base) {
    return (
      <section className="card" aria-label="Edit">
        <button
          type="button"
          onClick={() => {
            setBase(ticket);
            setDraft(draftOf(ticket));
            update.reset();
          }}
        >
          Edit ticket
        </button>
      </section>
    );
  }
  const save = (against: Ticket) => {
    const changes: Partial<Draft> = {};
    for (const field of Object.keys(draft) as (keyof Draft)[]) {
      if (!staff && (field === 'priority' || field === 'status')) continue;
      if (draft[field] !== base[field]) Object.assign(changes, { [field]: draft[field] });
    }
    update.mutate({ id: ticket.id, expectedVersion: against.version, ...changes });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(base);
  };
  const statusChoices = [...new Set([base.status, ...editableStatuses])];
  return (
    <section className="card" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit ticket</h2>
      <form onSubmit={submit} className="stack">
        <label>
          Title
          <input
            required
            maxLength={200}
            value={draft.title}
            onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          />
        </label>
        <label>
          Description
          <textarea
            required
            rows={5}
            maxLength={20_000}
            value={draft.description}
            onChange={(e) => setDraft({ ...draft, description: e.target.value })}
          />
        </label>
        <label>
          Category
          <select
            value={draft.category}
            onChange={(e) => setDraft({ ...draft, category: pick(ticketCategories, e.target.value) })}
          >
            {ticketCategories.map((category) => (
              <option key={category} value={category}>
                {label(category)}
              </option>
            ))}
          </select>
        </label>
        {staff ? (
          <>
            <label>
              Priority
              <select
                value={draft.priority}
                onChange={(e) => setDraft({ ...draft, priority: pick(ticketPriorities, e.target.value) })}
              >
                {ticketPriorities.map((priority) => (
                  <option key={priority} value={priority}>
                    {label(priority)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Status
              <select
                value={draft.status}
                onChange={(e) => setDraft({ ...draft, status: pick(statusChoices, e.target.value) })}
              >
                {statusChoices.map((status) => (
                  <option key={status} value={status}>
                    {label(status)}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : null}
        {newer ? (
          <div className="conflict" role="alert">
            <p>
              <strong>Someone else changed this ticket since you opened the editor</strong> (version{' '}
              {base.version} → {newer.version}). Nothing was saved. The newer version:
            </p>
            <dl className="facts">
              <dt>Title</dt>
              <dd>{newer.title}</dd>
              <dt>Status</dt>
              <dd>{label(newer.status)}</dd>
              <dt>Priority</dt>
              <dd>{label(newer.priority)}</dd>
              <dt>Category</dt>
              <dd>{label(newer.category)}</dd>
            </dl>
            <div className="row">
              <button
                type="button"
                onClick={() => {
                  setBase(newer);
                  setDraft(draftOf(newer));
                  setNewer(null);
                  update.reset();
                }}
              >
                Use the newer version
              </button>
              <button
                type="button"
                onClick={() => {
                  setBase(newer);
                  save(newer);
                }}
              >
                Save mine over it
              </button>
            </div>
          </div>
        ) : (
          <ErrorMessage error={update.error} />
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save changes'}
          </button>
          <button type="button" onClick={() => setBase(null)}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
