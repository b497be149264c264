import { useQuery } from '@tanstack/react-query';
import type { User } from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { createContext, type ReactNode, useContext } from 'react';

const SessionContext = createContext<User | null>(null);

/** The signed-in user; only rendered inside <SignedIn>, so never null there. */
export function useUser(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useUser() outside a signed-in view');
  return user;
}

export function SessionProvider({ user, children }: { user: User; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

/** `auth.me`: the session cookie's user, or null when signed out. */
export function useMe() {
  const api = useTickets();
  return useQuery({ ...api.auth.me.queryOptions(), staleTime: 60_000 });
}
