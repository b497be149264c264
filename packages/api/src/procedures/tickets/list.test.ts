import { type Ticket, type TicketSort, ticketPriorities, ticketSorts } from '@tickets/core';
import { createTicket, createUser, createWorkspaceWithCast } from '@tickets/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../testing/harness';
import { rejection } from './test-support';

const api = await createTestApi();
afterAll(() => api.close());

const priorityRank = (ticket: Ticket) => ticketPriorities.indexOf(ticket.priority);

/**
 * The sort key of a ticket in an order, compared as the list compares it (descending, id last). The
 * 'sla' order is ascending (soonest due first, none last), so its key is the negated time and the id
 * with each hex digit flipped, which reverses both comparisons.
 */
function sortKey(sort: TicketSort, ticket: Ticket): Array<number | string> {
  switch (sort) {
    case 'sla':
      return [
        -(ticket.sla?.nextDueAt?.getTime() ?? Number.POSITIVE_INFINITY),
        ticket.id.replace(/[0-9a-f]/g, (digit) => (15 - Number.parseInt(digit, 16)).toString(16)),
      ];
    case 'created':
      return [ticket.createdAt.getTime(), ticket.id];
    case 'updated':
      return [ticket.updatedAt.getTime(), ticket.id];
    case 'priority':
      return [priorityRank(ticket), ticket.createdAt.getTime(), ticket.id];
  }
}

function isStrictlyAfter(previous: Array<number | string>, next: Array<number | string>): boolean {
  for (const [index, value] of previous.entries()) {
    const other = next[index] as number | string;
    if (value !== other) return value > other;
  }
  return false;
}

describe('tickets.list keyset pagination', () => {
  it.each(ticketSorts)(
    'sorted by %s, walks 250 tickets 7 at a time with no duplicates and no gaps while others are being inserted',
    async (sort) => {
      const { workspace, support, client, writer } = await createWorkspaceWithCast(api.db);
      const dayAgo = Date.now() - 24 * 3600 * 1000;
      // Many rows share a timestamp, so the id tie-break is what keeps pages apart.
      const seeded = await api.db
        .insertInto('tickets')
        .values(
          Array.from({ length: 250 }, (_, index) => ({
            workspaceId: workspace.id,
            createdBy: index % 2 ? client.user.id : writer.user.id,
            title: `Seeded ${index}`,
            description: 'Seeded for paging.',
            priority: ticketPriorities[index % 4],
            createdAt: new Date(dayAgo - Math.floor(index / 5) * 1000),
            updatedAt: new Date(dayAgo + (index % 17) * 60_000),
          })),
        )
        .returning('id')
        .execute();

      let walking = true;
      const inserted: string[] = [];
      const inserter = (async () => {
        for (let index = 0; walking; index += 1) {
          const ticket = await api.as(client.token).tickets.create({
            title: `Concurrent ${index}`,
            description: 'Inserted while the list is walked.',
            priority: (['low', 'medium', 'high'] as const)[index % 3],
          });
          inserted.push(ticket.id);
        }
      })();

      const walked: Ticket[] = [];
      let cursor: string | undefined;
      let pages = 0;
      try {
        do {
          const page = await api.as(support.token).tickets.list({ sort, limit: 7, cursor });
          expect(page.items.length).toBeLessThanOrEqual(7);
          walked.push(...page.items);
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor);
      } finally {
        walking = false;
        await inserter;
      }

      const ids = walked.map((ticket) => ticket.id);
      expect(new Set(ids).size).toBe(ids.length);
      const walkedIds = new Set(ids);
      expect(seeded.filter((row) => !walkedIds.has(row.id))).toEqual([]);
      const known = new Set([...seeded.map((row) => row.id), ...inserted]);
      expect(ids.filter((id) => !known.has(id))).toEqual([]);
      for (let index = 1; index < walked.length; index += 1) {
        const [previous, next] = [walked[index - 1]!, walked[index]!];
        expect(isStrictlyAfter(sortKey(sort, previous), sortKey(sort, next))).toBe(true);
      }
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(250 / 7));
      expect(inserted.length).toBeGreaterThan(0);
    },
  );

  it('refuses a cursor made by another order, or forged, with INVALID_CURSOR', async () => {
    const { workspace, admin, client } = await createWorkspaceWithCast(api.db);
    await Promise.all(
      Array.from({ length: 3 }, () =>
        createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id }),
      ),
    );
    const { nextCursor } = await api.as(admin.token).tickets.list({ sort: 'created', limit: 1 });
    expect(nextCursor).toEqual(expect.any(String));

    const forged = [
      Buffer.from(JSON.stringify(['p:9:2026-01-01T00:00:00.000Z', crypto.randomUUID()])).toString(
        'base64url',
      ),
      Buffer.from(JSON.stringify([42, crypto.randomUUID()])).toString('base64url'),
      'not a cursor',
    ];
    for (const [sort, cursor] of [
      ['priority', nextCursor],
      ['updated', nextCursor],
      ...forged.map((cursor) => ['priority', cursor]),
    ] as Array<[TicketSort, string]>) {
      const error = await rejection(api.as(admin.token).tickets.list({ sort, cursor }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'INVALID_CURSOR' } });
      expect(error.data.issues).toEqual([{ path: 'cursor', message: error.message }]);
    }
  });
});

describe('list inputs from tRPC infinite queries', () => {
  it("given the direction 'forward' that tRPC's infinite queries send, then the next page is the same as without it; 'backward' is refused", async () => {
    const { workspace, support, client } = await createWorkspaceWithCast(api.db);
    for (let index = 0; index < 3; index += 1) {
      await createTicket(api.db, { workspaceId: workspace.id, createdBy: client.user.id });
    }
    const first = await api.as(support.token).tickets.list({ limit: 2 });
    const plain = await api.as(support.token).tickets.list({ limit: 2, cursor: first.nextCursor! });
    const forward = await api.as(support.token).tickets.list({
      limit: 2,
      cursor: first.nextCursor!,
      direction: 'forward',
    });
    expect(forward).toEqual(plain);

    const error = await rejection(
      api.as(support.token).tickets.list({ limit: 2, direction: 'backward' as 'forward' }),
    );
    expect(error).toMatchObject({ code: 'BAD_REQUEST', data: { appCode: 'VALIDATION_FAILED' } });
  });
});

describe('tickets.list filters', () => {
  it('filters on status, priority, category, assignee (or none), creator and escalation', async () => {
    const { workspace, admin, support, client, writer } = await createWorkspaceWithCast(api.db);
    const base = { workspaceId: workspace.id };
    const [plain, assigned, escalated, byWriter] = await Promise.all([
      createTicket(api.db, { ...base, createdBy: client.user.id, category: 'order' }),
      createTicket(api.db, {
        ...base,
        createdBy: client.user.id,
        assignedTo: support.user.id,
        status: 'in_progress',
        priority: 'high',
      }),
      createTicket(api.db, {
        ...base,
        createdBy: client.user.id,
        status: 'escalated',
        priority: 'critical',
        isEscalated: true,
      }),
      createTicket(api.db, { ...base, createdBy: writer.user.id, priority: 'low' }),
    ]);
    const list = async (filters: Parameters<ReturnType<typeof api.as>['tickets']['list']>[0]) =>
      (await api.as(admin.token).tickets.list(filters)).items.map((ticket) => ticket.id).sort();
    const ids = (...tickets: Array<{ id: string }>) => tickets.map((ticket) => ticket.id).sort();

    expect(await list({ status: 'in_progress' })).toEqual(ids(assigned));
    expect(await list({ priority: 'critical' })).toEqual(ids(escalated));
    expect(await list({ category: 'order' })).toEqual(ids(plain));
    expect(await list({ assignedTo: support.user.id })).toEqual(ids(assigned));
    expect(await list({ assignedTo: 'none' })).toEqual(ids(plain, escalated, byWriter));
    expect(await list({ createdBy: writer.user.id })).toEqual(ids(byWriter));
    expect(await list({ isEscalated: true })).toEqual(ids(escalated));
    expect(await list({ isEscalated: false, createdBy: client.user.id })).toEqual(ids(plain, assigned));
  });

  it('orders by priority, highest first, then newest', async () => {
    const { workspace, admin, client } = await createWorkspaceWithCast(api.db);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const made = await Promise.all(
      (
        [
          ['low', 1],
          ['critical', 5],
          ['medium', 2],
          ['critical', 3],
          ['high', 4],
        ] as const
      ).map(([priority, minutesAgo]) =>
        createTicket(api.db, {
          workspaceId: workspace.id,
          createdBy: client.user.id,
          priority,
          createdAt: at(minutesAgo),
        }),
      ),
    );
    const page = await api.as(admin.token).tickets.list({ sort: 'priority' });
    expect(page.items.map((ticket) => ticket.id)).toEqual(
      [made[3], made[1], made[4], made[2], made[0]].map((t) => t!.id),
    );
  });
});

describe('tickets.list full-text search', () => {
  it('finds words in the title and in the description, stemmed, and only among tickets the caller may see', async () => {
    const { workspace, admin, client, writer } = await createWorkspaceWithCast(api.db);
    const other = await createWorkspaceWithCast(api.db);
    const [printer, invoice, writersPrinter] = await Promise.all([
      createTicket(api.db, {
        workspaceId: workspace.id,
        createdBy: client.user.id,
        title: 'The printer jams',
        description: 'Paper gets stuck every morning.',
      }),
      createTicket(api.db, {
        workspaceId: workspace.id,
        createdBy: client.user.id,
        title: 'Question about my bill',
        description: 'The invoice shows a duplicated payment.',
      }),
      createTicket(api.db, {
        workspaceId: workspace.id,
        createdBy: writer.user.id,
        title: 'Office printer offline',
        description: 'Nothing prints.',
      }),
    ]);
    await createTicket(api.db, {
      workspaceId: other.workspace.id,
      createdBy: other.client.user.id,
      title: 'Printer elsewhere',
      description: 'Another workspace.',
    });
    const search = async (token: string, q: string) =>
      (await api.as(token).tickets.list({ q })).items.map((ticket) => ticket.id).sort();

    expect(await search(admin.token, 'printers')).toEqual([printer.id, writersPrinter.id].sort());
    expect(await search(admin.token, 'invoices')).toEqual([invoice.id]);
    expect(await search(admin.token, 'duplicate payments')).toEqual([invoice.id]);
    expect(await search(admin.token, 'printer -offline')).toEqual([printer.id]);
    expect(await search(admin.token, 'toaster')).toEqual([]);
    expect(await search(client.token, 'printer')).toEqual([printer.id]);
    expect(await search(admin.token, '  ')).toHaveLength(3);
  });

  it('bounds q at 200 characters, naming the field', async () => {
    const { workspace } = await createWorkspaceWithCast(api.db);
    const support = await createUser(api.db, { role: 'support', workspaceId: workspace.id });
    const error = await rejection(api.as(support.token).tickets.list({ q: 'x'.repeat(201) }));
    expect(error.data.issues?.map((issue) => issue.path)).toEqual(['q']);
  });
});
