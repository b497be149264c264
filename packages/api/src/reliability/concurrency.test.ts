import { createTicket, createUser, createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseProbe } from '../procedures/tickets/test-support';
import { createTestApi } from '../testing/harness';
import { appCodeOf } from '../testing/rejection';

// Twenty callers at once on one ticket, over the real pool: the row lock (FOR UPDATE in lockTicket) must
// serialise them so exactly the right number win, and each win writes exactly one event and notification.

const CALLERS = 20;

let api: Awaited<ReturnType<typeof createTestApi>>;
let probe: ReturnType<typeof databaseProbe>;

beforeAll(async () => {
  api = await createTestApi();
  probe = databaseProbe(api);
});
afterAll(() => api.close());

async function castWithTicket() {
  const cast = await createWorkspaceWithCast(api.db);
  const ticket = await createTicket(api.db, {
    workspaceId: cast.workspace.id,
    createdBy: cast.client.user.id,
  });
  return { ...cast, ticket };
}

/** Runs all calls at once and sorts the outcomes: the values, and the appCode of every rejection. */
async function race<T>(calls: Array<Promise<T>>) {
  const settled = await Promise.allSettled(calls);
  const fulfilled = settled.filter((s): s is PromiseFulfilledResult<Awaited<T>> => s.status === 'fulfilled');
  const appCodes = settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => appCodeOf(s.reason));
  return { fulfilled: fulfilled.map((s) => s.value), appCodes };
}

describe('given one ticket and twenty simultaneous commands on it', () => {
  it('when twenty staff close it at once, then one succeeds, the rest answer TICKET_ALREADY_CLOSED, one event and one notification', async () => {
    const { ticket, admin, workspace } = await castWithTicket();
    const closers = await Promise.all(
      Array.from({ length: CALLERS }, () =>
        createUser(api.db, { role: 'support', workspaceId: workspace.id }),
      ),
    );
    closers[0] = admin;

    const { fulfilled, appCodes } = await race(
      closers.map((closer) => api.as(closer.token).tickets.close({ id: ticket.id })),
    );

    expect(fulfilled).toHaveLength(1);
    expect(appCodes).toEqual(Array(CALLERS - 1).fill('TICKET_ALREADY_CLOSED'));
    const row = await probe.ticket(ticket.id);
    expect(row).toMatchObject({ status: 'closed', version: ticket.version + 1 });
    expect((await probe.events(ticket.id)).map((e) => e.action)).toEqual(['ticket.closed']);
    expect((await probe.notifications(ticket.id)).map((n) => n.type)).toEqual(['ticket.closed']);
  });

  it('when twenty staff update it with the same expectedVersion, then one succeeds and the rest answer CONFLICT (VERSION_CONFLICT)', async () => {
    const { ticket, admin } = await castWithTicket();
    const caller = api.as(admin.token);

    const settled = await Promise.allSettled(
      Array.from({ length: CALLERS }, (_, i) =>
        caller.tickets.update({ id: ticket.id, expectedVersion: ticket.version, title: `Title ${i}` }),
      ),
    );

    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect(rejected.map((s) => s.reason.code)).toEqual(Array(CALLERS - 1).fill('CONFLICT'));
    expect(rejected.map((s) => appCodeOf(s.reason))).toEqual(Array(CALLERS - 1).fill('VERSION_CONFLICT'));
    expect((await probe.ticket(ticket.id)).version).toBe(ticket.version + 1);
    expect((await probe.events(ticket.id)).map((e) => e.action)).toEqual(['ticket.updated']);
  });

  it('when twenty staff assign it to twenty different people with the same expectedVersion, then one wins, the rest answer VERSION_CONFLICT, one event and one notification', async () => {
    const { ticket, admin, workspace } = await castWithTicket();
    const assignees = await Promise.all(
      Array.from({ length: CALLERS }, () =>
        createUser(api.db, { role: 'support', workspaceId: workspace.id }),
      ),
    );
    const caller = api.as(admin.token);

    const { fulfilled, appCodes } = await race(
      assignees.map((assignee) =>
        caller.tickets.assign({
          id: ticket.id,
          assigneeId: assignee.user.id,
          expectedVersion: ticket.version,
        }),
      ),
    );

    expect(fulfilled).toHaveLength(1);
    expect(appCodes).toEqual(Array(CALLERS - 1).fill('VERSION_CONFLICT'));
    const winner = fulfilled[0]?.assignedTo;
    expect((await probe.ticket(ticket.id)).assignedTo).toBe(winner);
    expect((await probe.events(ticket.id)).map((e) => e.action)).toEqual(['ticket.assigned']);
    const notifications = await probe.notifications(ticket.id);
    expect(notifications.map((n) => [n.type, n.userId])).toEqual([['ticket.assigned', winner]]);
  });

  it('when twenty staff assign it to the same person without a version, then all succeed and only the first writes anything', async () => {
    const { ticket, admin, support } = await castWithTicket();
    const caller = api.as(admin.token);

    const { fulfilled, appCodes } = await race(
      Array.from({ length: CALLERS }, () =>
        caller.tickets.assign({ id: ticket.id, assigneeId: support.user.id }),
      ),
    );

    expect(appCodes).toEqual([]);
    expect(fulfilled.every((t) => t.assignedTo === support.user.id && t.version === ticket.version + 1)).toBe(
      true,
    );
    expect((await probe.events(ticket.id)).map((e) => e.action)).toEqual(['ticket.assigned']);
    expect((await probe.notifications(ticket.id)).map((n) => n.userId)).toEqual([support.user.id]);
  });

  it('when twenty staff escalate it at once, then all succeed and one event is written', async () => {
    const { ticket, admin, support } = await castWithTicket();
    await api.db
      .updateTable('tickets')
      .set({ assignedTo: support.user.id })
      .where('id', '=', ticket.id)
      .execute();
    const caller = api.as(admin.token);

    const { fulfilled, appCodes } = await race(
      Array.from({ length: CALLERS }, () => caller.tickets.escalate({ id: ticket.id })),
    );

    expect(appCodes).toEqual([]);
    expect(fulfilled).toHaveLength(CALLERS);
    expect((await probe.ticket(ticket.id)).version).toBe(ticket.version + 1);
    expect((await probe.events(ticket.id)).map((e) => e.action)).toEqual(['ticket.escalated']);
    expect((await probe.notifications(ticket.id)).map((n) => n.userId)).toEqual([support.user.id]);
  });

  it('when a close and twenty requester replies race, then no reply lands after the close', async () => {
    const { ticket, admin, client } = await castWithTicket();
    const requester = api.as(client.token);

    const [closed, ...replies] = await Promise.allSettled([
      api.as(admin.token).tickets.close({ id: ticket.id }),
      ...Array.from({ length: CALLERS }, (_, i) =>
        requester.messages.create({ ticketId: ticket.id, body: `Reply ${i}` }),
      ),
    ]);

    expect(closed?.status).toBe('fulfilled');
    const closedAt = (await probe.ticket(ticket.id)).resolvedAt as Date;
    const messages = await api.db
      .selectFrom('messages')
      .selectAll()
      .where('ticketId', '=', ticket.id)
      .execute();
    expect(messages.every((m) => m.createdAt.getTime() <= closedAt.getTime())).toBe(true);
    const rejected = replies.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(rejected.map((s) => appCodeOf(s.reason))).toEqual(Array(rejected.length).fill('TICKET_CLOSED'));
    expect(messages).toHaveLength(CALLERS - rejected.length);
  });
});
