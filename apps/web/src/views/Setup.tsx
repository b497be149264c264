import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTickets } from '@tickets/client/react';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorMessage } from '../components/ui';

/**
 * First-run setup: the link the server prints when no superadmin exists (`/setup?token=…`). The token
 * comes from the link but stays editable (it may have been copied by hand); `auth.setup` creates the
 * first superadmin and signs them in, once.
 */
export function Setup() {
  const api = useTickets();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [token, setToken] = useState(params.get('token') ?? '');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const setup = useMutation(
    api.auth.setup.mutationOptions({
      onSuccess: ({ user }) => {
        queryClient.setQueryData(api.auth.me.queryKey(), user);
        navigate('/', { replace: true });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setup.mutate({ token: token.trim(), name, email, password });
  };
  return (
    <main className="signed-out" id="main">
      <h1>Set up Tickets</h1>
      <p>
        Create the first superadmin account. The setup link works once, and only while no superadmin exists.
      </p>
      <form onSubmit={submit} className="card stack">
        <label>
          Setup token
          <input
            required
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-describedby="setup-token-hint"
          />
        </label>
        <p className="hint" id="setup-token-hint">
          From the link the server printed when it started.
        </p>
        <label>
          Your name
          <input required autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          E-mail
          <input
            type="email"
            required
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby="setup-password-hint"
          />
        </label>
        <p className="hint" id="setup-password-hint">
          At least 10 characters.
        </p>
        <ErrorMessage error={setup.error} />
        <button type="submit" className="primary" disabled={setup.isPending}>
          {setup.isPending ? 'Creating the account…' : 'Create superadmin'}
        </button>
      </form>
    </main>
  );
}
