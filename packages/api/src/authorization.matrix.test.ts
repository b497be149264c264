import { randomUUID } from 'node:crypto';
import { type Role, roles } from '@tickets/core';
import {
  createTicket,
  createUser,
  createWorkspace,
  FACTORY_PASSWORD,
  type TestUser,
} from '@tickets/core/testing';
import type { TicketRow, WorkspaceRow } from '@tickets/db';
import { TRPCError } from '@trpc/server';
import { afterAll, describe, expect, it } from 'vitest';
import { describeProcedures } from './reference/describe';
import { appRouter } from './router';
import { createTestApi } from './testing/harness';

// Every procedure of the router × every role (and anonymous) × whose resource it touches, against a
// declared expectation. The router itself is the list of procedures: one added without an entry here
// fails the first test, so no procedure can ship without a declared, tested access rule.

const api = await createTestApi();
afterAll(() => api.close());

type Caller = 'anonymous' | Role;
const callers: Caller[] = ['anonymous', ...roles];

/** Whose resource the call names: the caller's own, another requester's in the same workspace, another workspace's. */
type Variant = 'own' | 'otherRequester' | 'otherWorkspace';
const variants: Variant[] = ['own', 'otherRequester', 'otherWorkspace'];

/** Who passes the procedure's gate. */
type Access = 'public' | 'authed' | 'staff' | 'admin' | 'superadmin';
/** What the input points at, and so how visibility applies after the gate. */
type Scope = 'none' | 'ticket' | 'user' | 'attachment' | 'webhook';

type Outcome = 'OK' | TRPCError['code'];

interface Fixture {
  home: WorkspaceRow;
  other: WorkspaceRow;
  users: Record<Role, TestUser>;
  otherRequester: TestUser;
  otherWorkspaceAdmin: TestUser;
  otherWorkspaceClient: TestUser;
}

interface Target {
  /** The workspace the target lives in. */
  workspaceId: string;
  ticket: TicketRow;
  /** A staff member of the target's workspace (for assign). */
  staffId: string;
  /** A user of the target's workspace other than the caller (for users.update). */
  userId: string;
  attachmentId: string;
  /** A webhook endpoint of the target's workspace, and one delivery of it. */
  webhookId: string;
  webhookDeliveryId: string;
}

interface Case {
  access: Access;
  scope: Scope;
  input: (context: { fixture: Fixture; caller: Caller; target: Target }) => unknown;
  /** Put the target in the state the call needs (e.g. closed, for reopen). */
  prepare?: (target: Target) => Promise<void>;
  /** Every caller's outcome, when something other than the gate refuses everyone (see auth.setup). */
  outcomeForAll?: Outcome;
}

const uniqueEmail = () => `matrix-${randomUUID().slice(0, 8)}@example.test`;
/** A superadmin acts across workspaces and names the one a call is about. */
const workspaceOf = (caller: Caller, workspaceId: string) => (caller === 'superadmin' ? { workspaceId } : {});

const closeTicket = async (target: Target) => {
  await api.db
    .updateTable('tickets')
    .set({ status: 'closed', resolvedAt: new Date() })
    .where('id', '=', target.ticket.id)
    .execute();
};

const expectations: Record<string, Case> = {
  // Public, but a superadmin exists in this database, so the one-time setup is refused to everyone
  // (first-run-setup.test.ts covers the database without one).
  'auth.setup': {
    access: 'public',
    scope: 'none',
    outcomeForAll: 'FORBIDDEN',
    input: () => ({
      token: 'not-the-printed-token',
      email: uniqueEmail(),
      password: FACTORY_PASSWORD,
      name: 'Ada',
    }),
  },
  'auth.signUp': {
    access: 'public',
    scope: 'none',
    input: ({ fixture }) => ({
      workspaceSlug: fixture.home.slug,
      email: uniqueEmail(),
      password: FACTORY_PASSWORD,
      name: 'New Requester',
    }),
  },
  'auth.signIn': {
    access: 'public',
    scope: 'none',
    input: ({ fixture }) => ({ email: fixture.users.client.user.email, password: FACTORY_PASSWORD }),
  },
  'auth.signOut': { access: 'authed', scope: 'none', input: () => undefined },
  'auth.me': { access: 'public', scope: 'none', input: () => undefined },
  'workspaces.create': {
    access: 'superadmin',
    scope: 'none',
    input: () => ({ name: 'Matrix', slug: `matrix-${randomUUID().slice(0, 8)}` }),
  },
  'workspaces.list': { access: 'authed', scope: 'none', input: () => ({}) },
  'users.create': {
    access: 'admin',
    scope: 'none',
    input: ({ caller, fixture }) => ({
      email: uniqueEmail(),
      name: 'Created User',
      password: FACTORY_PASSWORD,
      role: 'client',
      ...workspaceOf(caller, fixture.home.id),
    }),
  },
  'users.list': {
    access: 'staff',
    scope: 'none',
    input: ({ caller, fixture }) => workspaceOf(caller, fixture.home.id),
  },
  'users.update': {
    access: 'admin',
    scope: 'user',
    input: ({ target }) => ({ id: target.userId, name: 'Renamed' }),
  },
  'tickets.list': { access: 'authed', scope: 'none', input: () => ({}) },
  'tickets.get': { access: 'authed', scope: 'ticket', input: ({ target }) => ({ id: target.ticket.id }) },
  'tickets.create': {
    access: 'authed',
    scope: 'none',
    input: ({ caller, fixture }) => ({
      title: 'Printer on fire',
      description: 'It is on fire.',
      ...workspaceOf(caller, fixture.home.id),
    }),
  },
  'tickets.update': {
    access: 'authed',
    scope: 'ticket',
    input: ({ target }) => ({ id: target.ticket.id, title: 'A better title' }),
  },
  'tickets.assign': {
    access: 'staff',
    scope: 'ticket',
    input: ({ target }) => ({ id: target.ticket.id, assigneeId: target.staffId }),
  },
  'tickets.escalate': { access: 'staff', scope: 'ticket', input: ({ target }) => ({ id: target.ticket.id }) },
  'tickets.close': { access: 'staff', scope: 'ticket', input: ({ target }) => ({ id: target.ticket.id }) },
  'tickets.reopen': {
    access: 'authed',
    scope: 'ticket',
    prepare: closeTicket,
    input: ({ target }) => ({ id: target.ticket.id }),
  },
  'messages.list': {
    access: 'authed',
    scope: 'ticket',
    input: ({ target }) => ({ ticketId: target.ticket.id }),
  },
  'messages.create': {
    access: 'authed',
    scope: 'ticket',
    input: ({ target }) => ({ ticketId: target.ticket.id, body: 'Any news?' }),
  },
  'attachments.list': {
    access: 'authed',
    scope: 'ticket',
    input: ({ target }) => ({ ticketId: target.ticket.id }),
  },
  'attachments.get': {
    access: 'authed',
    scope: 'attachment',
    input: ({ target }) => ({ id: target.attachmentId }),
  },
  'logs.list': { access: 'authed', scope: 'ticket', input: ({ target }) => ({ ticketId: target.ticket.id }) },
  'stats.generate': {
    access: 'staff',
    scope: 'none',
    input: ({ caller, fixture }) => workspaceOf(caller, fixture.home.id),
  },
  'notifications.list': { access: 'authed', scope: 'none', input: () => ({}) },
  'notifications.unreadCount': { access: 'authed', scope: 'none', input: () => undefined },
  'notifications.markRead': { access: 'authed', scope: 'none', input: () => ({ ids: [randomUUID()] }) },
  'notifications.markAllRead': { access: 'authed', scope: 'none', input: () => undefined },
  'notifications.onNotification': { access: 'authed', scope: 'none', input: () => ({}) },
  'notifications.getPreferences': { access: 'authed', scope: 'none', input: () => undefined },
  'sla.get': {
    access: 'staff',
    scope: 'none',
    input: ({ caller, fixture }) => workspaceOf(caller, fixture.home.id),
  },
  'sla.updatePolicy': {
    access: 'admin',
    scope: 'none',
    input: ({ caller, fixture }) => ({
      ...workspaceOf(caller, fixture.home.id),
      targets: { low: { firstResponseMinutes: 600, resolutionMinutes: 6000 } },
    }),
  },
  'sla.updateCalendar': {
    access: 'admin',
    scope: 'none',
    input: ({ caller, fixture }) => ({
      ...workspaceOf(caller, fixture.home.id),
      businessHours: { timeZone: 'Europe/Berlin', hours: [{ weekday: 1, start: '09:00', end: '17:00' }] },
    }),
  },
  'notifications.updatePreferences': {
    access: 'authed',
    scope: 'none',
    input: () => ({ email: { 'ticket.closed': false } }),
  },
  'webhooks.create': {
    access: 'admin',
    scope: 'none',
    input: ({ caller, fixture }) => ({
      url: 'https://hooks.example.test/tickets',
      events: ['ticket.created'],
      ...workspaceOf(caller, fixture.home.id),
    }),
  },
  'webhooks.list': {
    access: 'admin',
    scope: 'none',
    input: ({ caller, fixture }) => workspaceOf(caller, fixture.home.id),
  },
  'webhooks.update': {
    access: 'admin',
    scope: 'webhook',
    input: ({ target }) => ({ id: target.webhookId, enabled: false }),
  },
  'webhooks.delete': { access: 'admin', scope: 'webhook', input: ({ target }) => ({ id: target.webhookId }) },
  'webhooks.rotateSecret': {
    access: 'admin',
    scope: 'webhook',
    input: ({ target }) => ({ id: target.webhookId }),
  },
  'webhooks.deliveries': {
    access: 'admin',
    scope: 'webhook',
    input: ({ target }) => ({ id: target.webhookId }),
  },
  'webhooks.redeliver': {
    access: 'admin',
    scope: 'webhook',
    input: ({ target }) => ({ deliveryId: target.webhookDeliveryId }),
  },
  'webhooks.test': { access: 'admin', scope: 'webhook', input: ({ target }) => ({ id: target.webhookId }) },
};

const isStaffCaller = (caller: Caller) =>
  caller === 'superadmin' || caller === 'admin' || caller === 'support';

/** The declared rule, spelled out: who passes the gate, then what they may see. */
function expectedOutcome(entry: Case, caller: Caller, variant: Variant): Outcome {
  if (entry.outcomeForAll) return entry.outcomeForAll;
  if (entry.access !== 'public' && caller === 'anonymous') return 'UNAUTHORIZED';
  const passesGate =
    entry.access === 'public' ||
    entry.access === 'authed' ||
    (entry.access === 'staff' && isStaffCaller(caller)) ||
    (entry.access === 'admin' && (caller === 'admin' || caller === 'superadmin')) ||
    (entry.access === 'superadmin' && caller === 'superadmin');
  if (!passesGate) return 'FORBIDDEN';
  if (entry.scope === 'none' || caller === 'superadmin' || variant === 'own') return 'OK';
  if (variant === 'otherWorkspace') return 'NOT_FOUND';
  // Another requester's resource in the caller's own workspace: staff see it, requesters do not.
  return isStaffCaller(caller) ? 'OK' : 'NOT_FOUND';
}

async function createFixture(): Promise<Fixture> {
  const [home, other] = await Promise.all([createWorkspace(api.db), createWorkspace(api.db)]);
  const [
    superadmin,
    admin,
    support,
    writer,
    client,
    otherRequester,
    otherWorkspaceAdmin,
    otherWorkspaceClient,
  ] = await Promise.all([
    createUser(api.db, { role: 'superadmin', workspaceId: null }),
    createUser(api.db, { role: 'admin', workspaceId: home.id }),
    createUser(api.db, { role: 'support', workspaceId: home.id }),
    createUser(api.db, { role: 'writer', workspaceId: home.id }),
    createUser(api.db, { role: 'client', workspaceId: home.id }),
    createUser(api.db, { role: 'client', workspaceId: home.id }),
    createUser(api.db, { role: 'admin', workspaceId: other.id }),
    createUser(api.db, { role: 'client', workspaceId: other.id }),
  ]);
  return {
    home,
    other,
    users: { superadmin, admin, support, writer, client },
    otherRequester,
    otherWorkspaceAdmin,
    otherWorkspaceClient,
  };
}

/** The resource the call names, from the caller's point of view. */
async function createTarget(fixture: Fixture, caller: Caller, variant: Variant): Promise<Target> {
  const inOtherWorkspace = variant === 'otherWorkspace';
  const workspaceId = inOtherWorkspace ? fixture.other.id : fixture.home.id;
  const ownerIsCaller = variant === 'own' && (caller === 'writer' || caller === 'client');
  const creator = inOtherWorkspace
    ? fixture.otherWorkspaceClient
    : ownerIsCaller
      ? fixture.users[caller as 'writer' | 'client']
      : fixture.otherRequester;
  const ticket = await createTicket(api.db, { workspaceId, createdBy: creator.user.id });
  const attachment = await api.db
    .insertInto('attachments')
    .values({
      workspaceId,
      ticketId: ticket.id,
      uploadedBy: creator.user.id,
      filename: 'notes.txt',
      contentType: 'text/plain',
      size: 5,
      sha256: '0'.repeat(64),
      storageKey: randomUUID(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const webhook = await api.db
    .insertInto('webhookEndpoints')
    .values({
      workspaceId,
      url: 'https://hooks.example.test/matrix',
      events: ['ticket.created'],
      secret: 'whsec_bWF0cml4LXNlY3JldC1tYXRyaXgtc2VjcmV0',
      createdBy: inOtherWorkspace ? fixture.otherWorkspaceAdmin.user.id : fixture.users.admin.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const delivery = await api.db
    .insertInto('webhookDeliveries')
    .values({
      endpointId: webhook.id,
      workspaceId,
      messageId: `msg_${randomUUID().replaceAll('-', '')}`,
      eventType: 'ticket.created',
      payload: JSON.stringify({ type: 'ticket.created', data: {} }),
      status: 'delivered',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    workspaceId,
    ticket,
    staffId: inOtherWorkspace ? fixture.otherWorkspaceAdmin.user.id : fixture.users.support.user.id,
    userId: inOtherWorkspace ? fixture.otherWorkspaceClient.user.id : fixture.otherRequester.user.id,
    attachmentId: attachment.id,
    webhookId: webhook.id,
    webhookDeliveryId: delivery.id,
  };
}

async function call(caller: Caller, fixture: Fixture, path: string, input: unknown): Promise<Outcome> {
  const token = caller === 'anonymous' ? undefined : fixture.users[caller].token;
  const procedure = path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api.as(token));
  try {
    const result = await (procedure as (input: unknown) => Promise<unknown>)(input);
    if (isAsyncIterable(result)) await result[Symbol.asyncIterator]().return?.();
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

describe('authorization matrix', () => {
  it('declares an expectation for every procedure of the router, and for no procedure it lacks', () => {
    expect(procedurePaths).toEqual(Object.keys(expectations).sort());
  });

  it('given the base procedures, then each procedure carries in its meta the access declared here', () => {
    const fromMeta = describeProcedures().map(({ path, access }) => [path, access]);
    const declared = procedurePaths.map((path) => [path, expectations[path]?.access]);
    expect(fromMeta).toEqual(declared);
  });

  describe.each(procedurePaths)('%s', (path) => {
    const entry = expectations[path];
    const cases = callers.flatMap((caller) =>
      (entry?.scope === 'none' ? (['own'] as Variant[]) : variants).map((variant) => ({ caller, variant })),
    );
    it.each(cases)('$caller on $variant', async ({ caller, variant }) => {
      if (!entry) throw new Error(`no expectation declared for ${path}`);
      const fixture = await createFixture();
      const target = await createTarget(fixture, caller, variant);
      await entry.prepare?.(target);
      const outcome = await call(caller, fixture, path, entry.input({ fixture, caller, target }));
      expect(outcome).toBe(expectedOutcome(entry, caller, variant));
    });
  });
});
