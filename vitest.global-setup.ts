import { recreateTestDatabase } from '@tickets/db/testing';

// One fresh, migrated PostgreSQL database for the whole run, dropped after. Vitest runs a root global
// setup once per project, in one process; the count makes the first call create it and the last drop it.
const shared = globalThis as {
  testDatabase?: { ready: ReturnType<typeof recreateTestDatabase>; users: number };
};

export default async function setup() {
  shared.testDatabase ??= { ready: recreateTestDatabase(), users: 0 };
  const state = shared.testDatabase;
  state.users += 1;
  const drop = await state.ready;
  return async () => {
    state.users -= 1;
    if (state.users === 0) await drop();
  };
}
