import { authenticateCaller, type ValidatedSession } from '@tickets/core';
import { userBudgetOf } from './security/request-limits';
import type { AppServices } from './services';

/**
 * The one way a request becomes a caller, for tRPC procedures and the plain HTTP routes alike: token →
 * session (through the session cache) → the call counted against the user's budget. Null: anonymous.
 */
export function resolveCaller(services: AppServices, token: string | null): Promise<ValidatedSession | null> {
  if (!token) return Promise.resolve(null);
  return authenticateCaller(services.db, token, userBudgetOf(services), services.sessionCache);
}
