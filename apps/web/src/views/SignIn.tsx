import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorMessage } from '../components/ui';

/** Where to go after signing in: only a path of this console, never another site. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignIn() {
  const api = useTickets();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation(
    api.auth.signIn.mutationOptions({
      onSuccess: ({ user }) => {
        queryClient.setQueryData(api.auth.me.queryKey(), user);
        navigate(safeNext(params.get('next')), { replace: true });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password });
  };
  return (
    <main className="signed-out" id="main">
      <h1>Sign in to Tickets</h1>
      <form onSubmit={submit} className="card stack">
        <label>
          E-mail
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorMessage error={signIn.error} />
        <button type="submit" className="primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here? <Link to="/sign-up">Create a requester account</Link> if your workspace allows it.
      </p>
      <p className="hint">
        First run: open the setup link the server printed when it started (<code>/setup?token=…</code>) to
        create the first superadmin, then sign in here.
      </p>
    </main>
  );
}
