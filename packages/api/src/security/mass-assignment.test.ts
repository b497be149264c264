import { createTicket, createWorkspaceWithCast, FACTORY_PASSWORD } from '@tickets/core/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../testing/harness';

// Mass assignment beyond what procedures/tickets/*.test.ts already pin for requesters: staff, sign-up,
// users and messages. A field the caller may not set is refused by name (strict schemas), and the rows
// are exactly as before.

const api = await createTestApi();
afterAll(() => api.close());

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

const expectRefusedByName = (error: TRPCError, field: string) => {
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toContain(field);
};

describe('tickets.update by staff', () => {
  it.each([
    ['assignedTo', (ids: { other: string }) => ids.other],
    ['createdBy', (ids: { other: string }) => ids.other],
    ['workspaceId', () => '00000000-0000-4000-8000-000000000000'],
    ['isEscalated', () => true],
    ['resolvedAt', () => new Date()],
    ['firstResponseAt', () => new Date()],
    ['version', () => 99],
    ['updatedAt', () => new Date(0)],
  ] as const)('an admin sending %s is refused by name; the row is unchanged', async (field, value) => {
    const cast = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: cast.workspace.id,
      createdBy: cast.client.user.id,
    });
    const input = { id: ticket.id, title: 'Changed', [field]: value({ other: cast.support.user.id }) };
    expectRefusedByName(await refusal(api.as(cast.admin.token).tickets.update(input as never)), field);
    const after = await api.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirst();
    expect(after).toEqual(ticket);
  });
});

describe('tickets.create by staff', () => {
  it.each([
    ['status', () => 'closed'],
    ['assignedTo', (id: string) => id],
    ['createdBy', (id: string) => id],
    ['isEscalated', () => true],
    ['version', () => 7],
  ] as const)('an admin sending %s is refused by name; no ticket is written', async (field, value) => {
    const cast = await createWorkspaceWithCast(api.db);
    const input = { title: 'Smuggled', description: 'With extras.', [field]: value(cast.support.user.id) };
    expectRefusedByName(await refusal(api.as(cast.admin.token).tickets.create(input as never)), field);
    const written = await api.db
      .selectFrom('tickets')
      .select('id')
      .where('workspaceId', '=', cast.workspace.id)
      .execute();
    expect(written).toEqual([]);
  });
});

describe('users.update by an admin', () => {
  it.each<[string, () => unknown]>([
    ['email', () => 'taken-over@example.test'],
    ['workspaceId', () => '00000000-0000-4000-8000-000000000000'],
    ['passwordHash', () => '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB'],
    ['createdAt', () => new Date(0)],
  ])('sending %s is refused by name; the user is unchanged', async (field, value) => {
    const cast = await createWorkspaceWithCast(api.db);
    const before = await api.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', cast.client.user.id)
      .executeTakeFirst();
    const input = { id: cast.client.user.id, name: 'Renamed', [field]: value() };
    expectRefusedByName(await refusal(api.as(cast.admin.token).users.update(input as never)), field);
    const after = await api.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', cast.client.user.id)
      .executeTakeFirst();
    expect(after).toEqual(before);
  });
});

describe('auth.signUp', () => {
  it.each<[string, () => unknown]>([
    ['role', () => 'admin'],
    ['isActive', () => true],
    ['workspaceId', () => '00000000-0000-4000-8000-000000000000'],
  ])('sending %s is refused by name; no account is created', async (field, value) => {
    const cast = await createWorkspaceWithCast(api.db);
    await api.db
      .updateTable('workspaces')
      .set({ allowSignUp: true })
      .where('id', '=', cast.workspace.id)
      .execute();
    const email = `smuggler-${field.toLowerCase()}-${cast.workspace.slug}@example.test`;
    const input = {
      workspaceSlug: cast.workspace.slug,
      email,
      password: FACTORY_PASSWORD,
      name: 'Smuggler',
      [field]: value(),
    };
    expectRefusedByName(await refusal(api.as().auth.signUp(input as never)), field);
    const created = await api.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(created).toEqual([]);
  });
});

describe('messages.create', () => {
  it.each([
    ['authorId', (id: string) => id],
    ['createdAt', () => new Date(0)],
  ] as const)('a requester sending %s is refused by name; no message is written', async (field, value) => {
    const cast = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: cast.workspace.id,
      createdBy: cast.client.user.id,
    });
    const input = { ticketId: ticket.id, body: 'Hello', [field]: value(cast.admin.user.id) };
    expectRefusedByName(await refusal(api.as(cast.client.token).messages.create(input as never)), field);
    const written = await api.db
      .selectFrom('messages')
      .select('id')
      .where('ticketId', '=', ticket.id)
      .execute();
    expect(written).toEqual([]);
  });

  it('a requester asking for an internal note is refused and nothing is written', async () => {
    const cast = await createWorkspaceWithCast(api.db);
    const ticket = await createTicket(api.db, {
      workspaceId: cast.workspace.id,
      createdBy: cast.client.user.id,
    });
    const error = await refusal(
      api.as(cast.client.token).messages.create({ ticketId: ticket.id, body: 'Psst', internal: true }),
    );
    expect(['BAD_REQUEST', 'FORBIDDEN']).toContain(error.code);
    const written = await api.db
      .selectFrom('messages')
      .select('id')
      .where('ticketId', '=', ticket.id)
      .execute();
    expect(written).toEqual([]);
  });
});
