import { mkdir } from 'node:fs/promises';
import type { AppServices } from '@tickets/api';
import {
  announcementsSettled,
  createFlexibleRateLimiter,
  createLocalDiskStorage,
  createMemoryRateLimiter,
  createPostgresRateLimiter,
  createS3Storage,
  createSessionCache,
  createWebhookTransport,
  defaultSessionCacheOptions,
  type NotificationFeedSink,
  reportAnnouncementFailures,
  type Storage,
  systemResolver,
  type WebhookAddressPolicy,
  type WebhookTransport,
} from '@tickets/core';
import { createDatabase, type Database, migrateToLatest } from '@tickets/db';
import { Redis } from 'ioredis';
import { startBackgroundWork } from './background/background-work';
import { lockDataDir } from './data-dir-lock';
import type { Env } from './env';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { startNotifications } from './notifications';
import { startNotificationListener } from './notifications/listener';

/**
 * The database the configuration names, migrated to the latest schema (PostgreSQL or embedded PGlite:
 * the same migrations run on both). Several server instances may migrate one PostgreSQL at once:
 * Kysely's migrator takes a lock.
 */
export async function openDatabase(config: Env['database'], logger: Logger): Promise<Database> {
  const unlock = config.kind === 'pglite' ? await lockDataDir(config.dataDir) : async () => {};
  let database: Database | undefined;
  try {
    database = await createDatabase(config);
    await migrateToLatest(database.db);
  } catch (error) {
    await database?.close().catch(() => {});
    await unlock();
    throw error;
  }
  logger.info(
    config.kind === 'pglite'
      ? { database: 'pglite', dataDir: config.dataDir }
      : { database: 'postgres', host: new URL(config.url).host },
    'database ready',
  );
  const opened = database;
  reportAnnouncementFailures(opened.db, (error, payloads) =>
    logger.warn(
      { err: error, payloads },
      'live notifications not announced: open streams catch up on reconnect',
    ),
  );
  return {
    ...opened,
    async close() {
      try {
        // The NOTIFYs of what committed last still go out, so other instances' streams hear of it.
        await announcementsSettled(opened.db);
        await opened.close();
      } finally {
        await unlock();
      }
    },
  };
}

/** The attachment storage the configuration names; a local folder is created up front so a bad path fails at start. */
export async function openStorage(
  config: Env['storage'],
  logger: Logger,
): Promise<{ storage: Storage; close(): void }> {
  if (config.driver === 's3') {
    const storage = createS3Storage(config);
    logger.info(
      { storage: 's3', bucket: config.bucket, endpoint: config.endpoint ?? 'aws' },
      'storage ready',
    );
    return { storage, close: () => storage.destroy() };
  }
  await mkdir(config.dir, { recursive: true });
  logger.info({ storage: 'local', dir: config.dir }, 'storage ready');
  return { storage: createLocalDiskStorage(config.dir), close: () => {} };
}

export interface Composition {
  services: AppServices;
  /** What GET /metrics reports. */
  metrics: Metrics;
  /**
   * Draining has begun: end what never finishes on its own (live notification streams; their clients
   * resume elsewhere by event id), so the listener can close once ordinary requests are done.
   */
  drain(): void;
  /** Releases everything createServices opened, in reverse order. */
  close(): Promise<void>;
}

/**
 * Picks and builds every implementation the API needs, from the parsed configuration; in role `all`
 * the background work too (role `api` leaves it to worker processes: see createWorkerServices).
 */
export async function createServices(env: Env, logger: Logger): Promise<Composition> {
  if (env.role === 'worker')
    throw new Error('role worker serves no API: compose it with createWorkerServices');
  const database = await openDatabase(env.database, logger);
  const storage = await openStorage(env.storage, logger);
  const sessionCache =
    env.sessionCacheTtlMs > 0
      ? createSessionCache({ ...defaultSessionCacheOptions, ttlMs: env.sessionCacheTtlMs })
      : undefined;
  const redis = env.redisUrl ? openRedis(env.redisUrl, logger) : null;
  const webhooks = webhookDelivery(env);
  const background =
    env.role === 'all'
      ? startBackgroundWork({ env, db: database.db, logger, webhookTransport: webhooks.transport })
      : null;
  // The API process listens whatever its role: live streams and ended sessions need it.
  const notifications = startNotifications(env, database.db, logger, sessionCache, background?.wake);
  const metrics = createMetrics({
    db: database.db,
    poolStats: () => database.poolStats(),
    notificationHub: notifications.hub,
  });
  const services: AppServices = {
    db: database.db,
    production: env.production,
    secureCookies: env.secureCookies,
    isDatabaseReady: () => database.isReady(),
    storage: storage.storage,
    maxUploadBytes: env.maxUploadBytes,
    notificationHub: notifications.hub,
    // Instances sharing a PostgreSQL share their counters there; the embedded database has one process.
    rateLimiter:
      env.database.kind === 'postgres' ? createPostgresRateLimiter(database.db) : createMemoryRateLimiter(),
    requestLimits: env.requestLimits,
    userRateLimiter: createFlexibleRateLimiter(redis ?? undefined),
    sessionCache,
    observeProcedure: metrics.observeProcedure,
    webhooks,
  };
  return {
    services,
    metrics,
    drain: () => notifications.hub.close(),
    close: async () => {
      await background?.stop();
      await notifications.close();
      storage.close();
      await redis?.quit().catch(() => {});
      return database.close();
    },
  };
}

export interface WorkerComposition {
  db: Database['db'];
  /** What GET /metrics reports (the process's own figures and the outbox backlog; no procedures). */
  metrics: Metrics;
  isDatabaseReady(): Promise<boolean>;
  /** Drains the background work (batches in flight finish), stops listening, closes the database. */
  close(): Promise<void>;
}

/**
 * Role `worker`: the background work alone, on PostgreSQL (env.ts refuses the role on the embedded
 * database). No storage, session cache, Redis or notification hub: nothing here answers a user.
 */
export async function createWorkerServices(env: Env, logger: Logger): Promise<WorkerComposition> {
  const database = await openDatabase(env.database, logger);
  const background = startBackgroundWork({
    env,
    db: database.db,
    logger,
    webhookTransport: webhookDelivery(env).transport,
  });
  // A LISTEN connection only to wake the mail outbox when notifications commit, as an `all` instance
  // does; the streams and sessions it also hears about belong to API processes.
  const wakeUps =
    env.database.kind === 'postgres'
      ? startNotificationListener({
          url: env.database.listenUrl,
          sink: ignoredFeed,
          logger: logger.child({ component: 'notifications' }),
          onPayload: background.wake,
          applicationName: 'tickets-worker-listener',
        })
      : null;
  return {
    db: database.db,
    metrics: createMetrics({
      db: database.db,
      poolStats: () => database.poolStats(),
      notificationHub: { size: 0 },
    }),
    isDatabaseReady: () => database.isReady(),
    close: async () => {
      await background.stop();
      await wakeUps?.close();
      await database.close();
    },
  };
}

const ignoredFeed: NotificationFeedSink = {
  ingest: async () => {},
  resync: () => {},
  sessionsEnded: () => {},
};

/** The operator's address policy, and the transport that enforces it on every webhook request. */
function webhookDelivery(env: Env): { policy: WebhookAddressPolicy; transport: WebhookTransport } {
  const policy: WebhookAddressPolicy = {
    allowHttp: env.webhooks.allowHttp,
    allowedAddresses: env.webhooks.allowedAddresses,
    resolve: systemResolver,
  };
  return { policy, transport: createWebhookTransport({ policy, timeoutMs: env.webhooks.timeoutMs }) };
}

/**
 * The Redis connection the per-user budget is counted in. Commands fail fast while it is down (no
 * offline queue) and the limiter counts in memory meanwhile; ioredis reconnects by itself.
 */
function openRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  let warned = false;
  redis.on('error', (error) => {
    if (warned) return;
    warned = true;
    logger.warn(
      { err: error, redis: new URL(url).host },
      'redis unavailable: counting per-user limits in memory',
    );
  });
  redis.on('ready', () => {
    warned = false;
    logger.info({ redis: new URL(url).host }, 'redis ready');
  });
  return redis;
}
