import { getTRPCErrorShape, TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import type { ErrorData } from '../../init';
import { appRouter } from '../../router';
import type { createTestApi } from '../../testing/harness';

// Shared by the tickets test files: what a rejected call answered, and what the database holds.

type TestApi = Awaited<ReturnType<typeof createTestApi>>;

export interface Rejection {
  code: TRPCError['code'];
  /** error.data as a client receives it, built by the router's own errorFormatter. */
  data: ErrorData;
  message: string;
}

export async function rejection(call: Promise<unknown>): Promise<Rejection> {
  const error = await call.then(
    () => expect.fail('expected the call to be rejected'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error: trpcError,
    type: 'mutation',
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
  return { code: trpcError.code, data: shape.data as ErrorData, message: shape.message };
}

export function databaseProbe(api: TestApi) {
  return {
    ticket: (id: string) =>
      api.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    ticketsCreatedBy: (userId: string) =>
      api.db.selectFrom('tickets').selectAll().where('createdBy', '=', userId).execute(),
    events: (ticketId: string) =>
      api.db
        .selectFrom('auditEvents')
        .selectAll()
        .where('ticketId', '=', ticketId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute(),
    notifications: (ticketId: string) =>
      api.db
        .selectFrom('notifications')
        .selectAll()
        .where('ticketId', '=', ticketId)
        .orderBy('seq')
        .execute(),
  };
}
