import { openTestDatabase } from '@tickets/db/testing';
import type { KyselyPlugin, RootOperationNode, SelectQueryNode } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createTicket as createTicketRow, createWorkspaceWithCast } from '../testing';
import { assignTicket } from './assign-ticket';
import { closeTicket } from './close-ticket';
import { escalateTicket } from './escalate-ticket';
import { listTickets } from './list-tickets';
import { listTicketsInput, ticketStatuses } from './schemas';
import { assertTransition, type StatusCommand } from './transitions';

const database = await openTestDatabase();
const db = database.db;
afterAll(() => database.close());

const commands: StatusCommand[] = ['update', 'escalate', 'close', 'reopen'];

// The legal edges and the command that walks each, written out by hand from docs/TICKETS.md rather than
// derived from the table under test: a wrong entry in ticketTransitions or commandForTransition fails.
const expectedEdges: Record<string, StatusCommand> = {
  'open → in_progress': 'update',
  'open → awaiting_response': 'update',
  'open → escalated': 'escalate',
  'open → closed': 'close',
  'in_progress → open': 'update',
  'in_progress → awaiting_response': 'update',
  'in_progress → escalated': 'escalate',
  'in_progress → closed': 'close',
  'awaiting_response → open': 'update',
  'awaiting_response → in_progress': 'update',
  'awaiting_response → escalated': 'escalate',
  'awaiting_response → closed': 'close',
  'escalated → in_progress': 'update',
  'escalated → awaiting_response': 'update',
  'escalated → closed': 'close',
  'closed → open': 'reopen',
  'closed → in_progress': 'reopen',
};

describe('the transition table', () => {
  const pairs = ticketStatuses.flatMap((from) =>
    ticketStatuses.filter((to) => to !== from).map((to) => [from, to] as const),
  );

  it.each(pairs)('%s → %s: walked by the one command listed for it, or by none', (from, to) => {
    const accepted = commands.filter((command) => {
      try {
        assertTransition(from, to, command);
        return true;
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('INVALID_TRANSITION');
        return false;
      }
    });
    const expected = expectedEdges[`${from} → ${to}`];
    expect(accepted).toEqual(expected ? [expected] : []);
  });
});

describe('staff-only commands, called directly', () => {
  it('refuse a requester with FORBIDDEN even on their own ticket (defence beneath staffProcedure)', async () => {
    const { workspace, client, support } = await createWorkspaceWithCast(db);
    const ticket = await createTicketRow(db, { workspaceId: workspace.id, createdBy: client.user.id });
    const calls = [
      () => assignTicket(db, client.actor, { id: ticket.id, assigneeId: support.user.id }),
      () => escalateTicket(db, client.actor, { id: ticket.id }),
      () => closeTicket(db, client.actor, { id: ticket.id }),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await db.selectFrom('tickets').selectAll().where('id', '=', ticket.id).executeTakeFirst()).toEqual(
      ticket,
    );
  });
});

describe('listTickets', () => {
  /** Records every statement a query builder sends through it. */
  function recording() {
    const nodes: RootOperationNode[] = [];
    const plugin: KyselyPlugin = {
      transformQuery: ({ node }) => {
        nodes.push(node);
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    return { db: db.withPlugin(plugin), nodes };
  }

  it.each([1, 100])('sends one SELECT without OFFSET whatever the page size (limit %i)', async (limit) => {
    const { workspace, admin, client } = await createWorkspaceWithCast(db);
    await Promise.all(
      Array.from({ length: 3 }, () =>
        createTicketRow(db, { workspaceId: workspace.id, createdBy: client.user.id }),
      ),
    );
    const first = await listTickets(db, admin.actor, listTicketsInput.parse({ limit: 1, sort: 'priority' }));
    const probe = recording();

    await listTickets(
      probe.db,
      admin.actor,
      listTicketsInput.parse({ limit, sort: 'priority', q: 'ticket', cursor: first.nextCursor }),
    );

    expect(probe.nodes.map((node) => node.kind)).toEqual(['SelectQueryNode']);
    expect((probe.nodes[0] as SelectQueryNode).offset).toBeUndefined();
  });
});
