import { useQuery } from '@tanstack/react-query';
import type { User } from '@tickets/client';
import { useTickets } from '@tickets/client/react';
import { isStaff, type NameOf } from './format';
import { useUser } from './session';

/**
 * The workspace's people, for names in lists and the assignee picker. Staff may list users; a requester
 * may not, and sees "You" or "Support" instead (message authors carry their names anyway).
 */
export function usePeople(): { nameOf: NameOf; staffMembers: User[] } {
  const user = useUser();
  const api = useTickets();
  const staff = isStaff(user.role);
  const users = useQuery({
    ...api.users.list.queryOptions({ limit: 100 }),
    enabled: staff,
    staleTime: 60_000,
  });
  const byId = new Map((users.data?.items ?? []).map((person) => [person.id, person]));
  const nameOf: NameOf = (id) => {
    if (!id) return 'Nobody';
    if (id === user.id) return 'You';
    return byId.get(id)?.name ?? (staff ? 'Someone' : 'Support');
  };
  const staffMembers = (users.data?.items ?? []).filter((person) => isStaff(person.role) && person.isActive);
  return { nameOf, staffMembers };
}
