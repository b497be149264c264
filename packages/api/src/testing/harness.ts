import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebhookAddressPolicy, WebhookTransport } from '@tickets/core';
import {
  createLocalDiskStorage,
  createMemoryRateLimiter,
  createNotificationHub,
  createSessionCache,
  DEFAULT_MAX_UPLOAD_BYTES,
} from '@tickets/core';
import { openTestDatabase } from '@tickets/db/testing';
import { createApiContext } from '../context';
import { createCaller } from '../router';
import type { RequestLimits } from '../security/request-limits';
import type { AppServices } from '../services';

/** Limits no ordinary test reaches, so the limiter runs in every test without throttling one. */
export const generousRequestLimits: RequestLimits = {
  signInPerAccount: { limit: 10_000, windowSeconds: 60 },
  signInPerAddress: { limit: 10_000, windowSeconds: 60 },
  perUser: { limit: 100_000, windowSeconds: 60 },
};

/** Every name resolves to one public address (93.184.215.14) here: no test depends on real DNS. */
export const testWebhookPolicy: WebhookAddressPolicy = {
  allowHttp: false,
  allowedAddresses: [],
  resolve: async () => [{ address: '93.184.215.14', family: 4 }],
};

/**
 * Answers 204 without a network: procedure tests are about who may call what. Delivery itself is tested
 * against a real HTTP receiver (packages/core/src/webhooks, apps/server/src/webhooks).
 */
export const acceptingWebhookTransport: WebhookTransport = async () => ({
  statusCode: 204,
  latencyMs: 1,
  bodyExcerpt: '',
});

/**
 * Procedures called in process, through every middleware, against the real test database.
 * Use one per test file: `const api = await createTestApi()` in beforeAll, `api.close()` in afterAll.
 */
export async function createTestApi(overrides: Partial<AppServices> = {}) {
  const database = await openTestDatabase();
  // Attachment bytes go to a folder of this harness's own, removed by close().
  const storageDir = await mkdtemp(join(tmpdir(), 'tickets-storage-'));
  const services: AppServices = {
    db: database.db,
    production: false,
    secureCookies: false,
    isDatabaseReady: () => database.isReady(),
    // No LISTEN feed here: streams replay from the database (live delivery is tested in apps/server).
    notificationHub: createNotificationHub({ db: database.db }),
    storage: createLocalDiskStorage(storageDir),
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    rateLimiter: createMemoryRateLimiter(),
    requestLimits: generousRequestLimits,
    // As in production: signed-in calls are checked through a session cache.
    sessionCache: createSessionCache(),
    webhooks: { policy: testWebhookPolicy, transport: acceptingWebhookTransport },
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
    /** Like `as`, but also hands back the response headers the call set (e.g. Set-Cookie). */
    withResponse(token?: string, headers: Record<string, string> = {}) {
      const resHeaders = new Headers();
      const caller = createCaller(
        createApiContext({
          requestId: randomUUID(),
          services,
          headers: new Headers({ ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }),
          resHeaders,
        }),
      );
      return { caller, resHeaders };
    },
    /** The folder behind the default local-disk storage (to check what an upload left there). */
    storageDir,
    close: async () => {
      services.notificationHub.close();
      await database.close();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
