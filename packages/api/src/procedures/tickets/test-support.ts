import type { createTestApi } from '../../testing/harness';
import { errorShapeOf, rejection as rejectionOf } from '../../testing/rejection';

// Shared by the tickets test files: what a rejected call answered, and what the database holds.

type TestApi = Awaited<ReturnType<typeof createTestApi>>;

/** What a rejected call answered, as a client receives it. */
export async function rejection(call: Promise<unknown>) {
  return errorShapeOf(await rejectionOf(call));
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
