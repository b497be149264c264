import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Ticket, ticketCategories, ticketPriorities } from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorMessage, PageTitle, pick } from '../components/ui';
import { isStaff, label } from '../format';
import { useUser } from '../session';

export function NewTicket() {
  const api = useTickets();
  const user = useUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // Requesters may choose up to high; critical is for staff (it is what escalation sets).
  const priorities = isStaff(user.role)
    ? ticketPriorities
    : ticketPriorities.filter((priority) => priority !== 'critical');
  const [form, setForm] = useState<Pick<Ticket, 'title' | 'description' | 'category' | 'priority'>>({
    title: '',
    description: '',
    category: 'general',
    priority: 'medium',
  });
  // One key per form: a double click or a retry after a lost answer creates one ticket, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const create = useMutation(
    api.tickets.create.mutationOptions({
      onSuccess: (ticket) => {
        void queryClient.invalidateQueries({ queryKey: api.tickets.list.pathKey() });
        queryClient.setQueryData(api.tickets.get.queryKey({ id: ticket.id }), ticket);
        navigate(`/tickets/${ticket.id}`);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ ...form, idempotencyKey });
  };
  return (
    <>
      <PageTitle>New ticket</PageTitle>
      <form onSubmit={submit} className="card stack">
        <label>
          Title
          <input
            required
            maxLength={200}
            value={form.title}
            onChange={(e) => setForm({ ...form, title: e.target.value })}
          />
        </label>
        <label>
          What happened?
          <textarea
            required
            maxLength={20_000}
            rows={8}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        </label>
        <div className="row">
          <label>
            Category
            <select
              value={form.category}
              onChange={(e) => setForm({ ...form, category: pick(ticketCategories, e.target.value) })}
            >
              {ticketCategories.map((category) => (
                <option key={category} value={category}>
                  {label(category)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Priority
            <select
              value={form.priority}
              onChange={(e) => setForm({ ...form, priority: pick(priorities, e.target.value) })}
            >
              {priorities.map((priority) => (
                <option key={priority} value={priority}>
                  {label(priority)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="hint">You can attach files on the ticket's page once it is open.</p>
        <ErrorMessage error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Opening the ticket…' : 'Open ticket'}
        </button>
      </form>
    </>
  );
}
