import { openTestDatabase } from '@tickets/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createTicket, createUser, createWorkspace } from '../testing';
import { type Actor, type Role, roles, type StaffActor } from './actor';
import { type Action, assertCan, can, canSeeTicket, permissions, type TicketOwnership } from './permissions';
import { scopeTicketsToActor } from './tickets';

// The expectations are written out by hand, not read from the table under test: a wrong entry in
// permissions.ts fails here (the authorization matrix in packages/api checks the gates the same way).

const database = await openTestDatabase();
afterAll(() => database.close());

const everyone = ['superadmin', 'admin', 'support', 'writer', 'client'] as const;
const staff = ['superadmin', 'admin', 'support'] as const;
const admins = ['superadmin', 'admin'] as const;
const superadminOnly = ['superadmin'] as const;

/** Given an actor of each role, when asked without a row, then exactly these roles may. */
const mayWithoutRow: Record<Action, readonly Role[]> = {
  'account:setup': everyone,
  'account:sign-up': everyone,
  'account:sign-in': everyone,
  'account:whoami': everyone,
  'account:sign-out': everyone,
  'notification:own': everyone,
  'workspace:list': everyone,
  'workspace:create': superadminOnly,
  'user:list': staff,
  'user:manage': admins,
  'ticket:list': everyone,
  'ticket:create': everyone,
  'ticket:read': everyone,
  'ticket:update': everyone,
  'ticket:reopen': everyone,
  'ticket:reply': everyone,
  'ticket:assign': staff,
  'ticket:escalate': staff,
  'ticket:close': staff,
  'ticket:triage': staff,
  'ticket:change-closed': staff,
  'ticket:note': staff,
  'ticket:read-internal': staff,
  'attachment:upload': everyone,
  'attachment:upload-internal': staff,
  'attachment:read': everyone,
  'log:read': everyone,
  'log:read-workspace': staff,
  'stats:read': staff,
  'sla:read': staff,
  'sla:manage': admins,
  'webhook:manage': admins,
};

const home = 'workspace-home';
const elsewhere = 'workspace-elsewhere';
const actorOf = (role: Role): Actor => ({
  id: `${role}-id`,
  role,
  workspaceId: role === 'superadmin' ? null : home,
});

describe('the permission table, without a row', () => {
  it('declares an expectation for every action, and for no action it lacks', () => {
    expect(Object.keys(permissions).sort()).toEqual(Object.keys(mayWithoutRow).sort());
  });

  const cases = (Object.keys(mayWithoutRow) as Action[]).flatMap((action) =>
    roles.map((role) => ({ action, role, may: mayWithoutRow[action].includes(role) })),
  );
  it.each(cases)('given a $role, when asked for $action, then may: $may', ({ action, role, may }) => {
    expect(can(actorOf(role), action)).toBe(may);
  });
});

/** Whose ticket: the actor's own, another requester's of the actor's workspace, another workspace's. */
const tickets = {
  own: (actor: Actor): TicketOwnership => ({ workspaceId: home, createdBy: actor.id }),
  colleague: (): TicketOwnership => ({ workspaceId: home, createdBy: 'someone-else' }),
  elsewhere: (): TicketOwnership => ({ workspaceId: elsewhere, createdBy: 'someone-elsewhere' }),
};
type Whose = keyof typeof tickets;
type Outcome = 'OK' | 'FORBIDDEN' | 'TICKET_NOT_FOUND';

/** Requesters reach their own tickets; staff their workspace's; a superadmin every one. */
const creatorOrStaff: Record<Role, Record<Whose, Outcome>> = {
  superadmin: { own: 'OK', colleague: 'OK', elsewhere: 'OK' },
  admin: { own: 'OK', colleague: 'OK', elsewhere: 'TICKET_NOT_FOUND' },
  support: { own: 'OK', colleague: 'OK', elsewhere: 'TICKET_NOT_FOUND' },
  writer: { own: 'OK', colleague: 'TICKET_NOT_FOUND', elsewhere: 'TICKET_NOT_FOUND' },
  client: { own: 'OK', colleague: 'TICKET_NOT_FOUND', elsewhere: 'TICKET_NOT_FOUND' },
};
/** Staff of the ticket's workspace (a superadmin any); a requester refused on their own, not shown others'. */
const staffOfWorkspace: Record<Role, Record<Whose, Outcome>> = {
  superadmin: { own: 'OK', colleague: 'OK', elsewhere: 'OK' },
  admin: { own: 'OK', colleague: 'OK', elsewhere: 'TICKET_NOT_FOUND' },
  support: { own: 'OK', colleague: 'OK', elsewhere: 'TICKET_NOT_FOUND' },
  writer: { own: 'FORBIDDEN', colleague: 'TICKET_NOT_FOUND', elsewhere: 'TICKET_NOT_FOUND' },
  client: { own: 'FORBIDDEN', colleague: 'TICKET_NOT_FOUND', elsewhere: 'TICKET_NOT_FOUND' },
};

const onATicket = {
  'ticket:read': creatorOrStaff,
  'ticket:update': creatorOrStaff,
  'ticket:reopen': creatorOrStaff,
  'ticket:reply': creatorOrStaff,
  'attachment:upload': creatorOrStaff,
  'log:read': creatorOrStaff,
  'ticket:assign': staffOfWorkspace,
  'ticket:escalate': staffOfWorkspace,
  'ticket:close': staffOfWorkspace,
  'ticket:triage': staffOfWorkspace,
  'ticket:change-closed': staffOfWorkspace,
  'ticket:note': staffOfWorkspace,
  'ticket:read-internal': staffOfWorkspace,
  'attachment:upload-internal': staffOfWorkspace,
} as const;
type TicketAction = keyof typeof onATicket;

function outcomeOf(run: () => void): string {
  try {
    run();
    return 'OK';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.code === 'FORBIDDEN' ? 'FORBIDDEN' : error.code;
  }
}

describe('the permission table, on a ticket', () => {
  const cases = (Object.keys(onATicket) as TicketAction[]).flatMap((action) =>
    roles.flatMap((role) =>
      (Object.keys(tickets) as Whose[]).map((whose) => ({
        action,
        role,
        whose,
        expected: onATicket[action][role][whose],
      })),
    ),
  );
  it.each(cases)(
    'given a $role and the $whose ticket, when asserting $action, then $expected',
    ({ action, role, whose, expected }) => {
      const actor = actorOf(role);
      const ticket = tickets[whose](actor);
      expect(outcomeOf(() => assertCan(actor, action, ticket))).toBe(expected);
      expect(can(actor, action, ticket)).toBe(expected === 'OK');
    },
  );

  it('given a requester, when refused a staff action, then FORBIDDEN says why and names the field that asked', () => {
    const error = catchError(() => assertCan(actorOf('client'), 'ticket:note'));
    expect(error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only staff may post internal notes.',
      details: { field: 'internal' },
    });
    expect(catchError(() => assertCan(actorOf('writer'), 'ticket:close'))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only staff may do this.',
      details: undefined,
    });
    expect(catchError(() => assertCan(actorOf('support'), 'webhook:manage'))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only admins may manage webhooks.',
    });
  });

  it('given assertCan passed for a staff action, then the actor is a StaffActor (checked by the compiler)', () => {
    const actor: Actor = actorOf('support');
    assertCan(actor, 'ticket:close');
    const narrowed: StaffActor = actor;
    expect(narrowed.role).toBe('support');
  });
});

describe('the permission table, on an attachment', () => {
  const colleagueTicket = { workspaceId: home, createdBy: 'someone-else' };
  const cases: Array<{ role: Role; ownTicket: boolean; internal: boolean; expected: string }> = [
    { role: 'client', ownTicket: true, internal: false, expected: 'OK' },
    { role: 'client', ownTicket: true, internal: true, expected: 'ATTACHMENT_NOT_FOUND' },
    { role: 'client', ownTicket: false, internal: false, expected: 'ATTACHMENT_NOT_FOUND' },
    { role: 'writer', ownTicket: true, internal: true, expected: 'ATTACHMENT_NOT_FOUND' },
    { role: 'support', ownTicket: false, internal: true, expected: 'OK' },
    { role: 'admin', ownTicket: false, internal: false, expected: 'OK' },
    { role: 'superadmin', ownTicket: false, internal: true, expected: 'OK' },
  ];
  it.each(cases)(
    'given a $role, an attachment of their own ticket: $ownTicket, internal: $internal, when read, then $expected',
    ({ role, ownTicket, internal, expected }) => {
      const actor = actorOf(role);
      const ticket = ownTicket ? { workspaceId: home, createdBy: actor.id } : colleagueTicket;
      expect(outcomeOf(() => assertCan(actor, 'attachment:read', { ...ticket, internal }))).toBe(expected);
    },
  );
});

describe('canSeeTicket and its query form, scopeTicketsToActor', () => {
  it('given each role and whose ticket, then the query finds exactly the tickets canSeeTicket lets the actor see', async () => {
    const db = database.db;
    const [mine, other] = await Promise.all([createWorkspace(db), createWorkspace(db)]);
    const actors = await Promise.all(
      roles.map((role) => createUser(db, { role, workspaceId: role === 'superadmin' ? null : mine.id })),
    );
    const colleague = await createUser(db, { role: 'client', workspaceId: mine.id });
    const stranger = await createUser(db, { role: 'client', workspaceId: other.id });
    for (const { actor } of actors) {
      const candidates = await Promise.all([
        createTicket(db, { workspaceId: mine.id, createdBy: actor.id }),
        createTicket(db, { workspaceId: mine.id, createdBy: colleague.user.id }),
        createTicket(db, { workspaceId: other.id, createdBy: stranger.user.id }),
      ]);
      const ids = candidates.map((ticket) => ticket.id);
      const found = await scopeTicketsToActor(db.selectFrom('tickets').select('tickets.id'), actor)
        .where('tickets.id', 'in', ids)
        .execute();
      const seen = candidates.filter((ticket) => canSeeTicket(actor, ticket)).map((ticket) => ticket.id);
      expect(found.map((row) => row.id).sort()).toEqual(seen.sort());
    }
  });
});

function catchError(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
