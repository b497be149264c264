import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '@tickets/db/testing';
import { createApiContext } from '../context';
import { createCaller } from '../router';
import type { AppServices } from '../services';

/**
 * Procedures called in process, through every middleware, against the real test database.
 * Use one per test file: `const api = await createTestApi()` in beforeAll, `api.close()` in afterAll.
 */
export async function createTestApi(overrides: Partial<AppServices> = {}) {
  const database = await openTestDatabase();
  const services: AppServices = {
    db: database.db,
    production: false,
    secureCookies: false,
    isDatabaseReady: () => database.isReady(),
    ...overrides,
  };
  return {
    db: database.db,
    services,
    /** A caller signed in with `token` (as a program would, with a bearer token), or anonymous. */
    as(token?: string, headers: Record<string, string> = {}) {
      const resHeaders = new Headers();
      return createCaller(
        createApiContext({
          requestId: randomUUID(),
          services,
          headers: new Headers({ ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }),
          resHeaders,
        }),
      );
    },
    close: () => database.close(),
  };
}
