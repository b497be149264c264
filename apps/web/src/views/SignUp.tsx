import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorMessage } from '../components/ui';

export function SignUp() {
  const api = useTickets();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = useState({
    workspaceSlug: params.get('workspace') ?? '',
    name: '',
    email: '',
    password: '',
  });
  const signUp = useMutation(
    api.auth.signUp.mutationOptions({
      onSuccess: ({ user }) => {
        queryClient.setQueryData(api.auth.me.queryKey(), user);
        navigate('/tickets', { replace: true });
      },
    }),
  );
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [field]: event.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate(form);
  };
  return (
    <main className="signed-out" id="main">
      <h1>Create a requester account</h1>
      <form onSubmit={submit} className="card stack">
        <label>
          Workspace address
          <input
            required
            value={form.workspaceSlug}
            onChange={set('workspaceSlug')}
            aria-describedby="slug-hint"
          />
        </label>
        <p id="slug-hint" className="hint">
          The short name your support team gave you, e.g. <code>acme</code>.
        </p>
        <label>
          Your name
          <input required autoComplete="name" value={form.name} onChange={set('name')} />
        </label>
        <label>
          E-mail
          <input type="email" required autoComplete="email" value={form.email} onChange={set('email')} />
        </label>
        <label>
          Password
          <input
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
          />
        </label>
        <ErrorMessage error={signUp.error} />
        <button type="submit" className="primary" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
