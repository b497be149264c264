import { mkdir } from 'node:fs/promises';
import type { AppServices } from '@tickets/api';
import {
  createFlexibleRateLimiter,
  createLocalDiskStorage,
  createMemoryRateLimiter,
  createPostgresRateLimiter,
  createS3Storage,
  createSessionCache,
  createWebhookTransport,
  defaultSessionCacheOptions,
  defaultWebhookBackoff,
  type Storage,
  systemResolver,
} from '@tickets/core';
import { createDatabase, type Database, migrateToLatest } from '@tickets/db';
import { Redis } from 'ioredis';
import { lockDataDir } from './data-dir-lock';
import type { Env } from './env';
import type { Logger } from './logger';
import { startMaintenance } from './maintenance';
import { createMetrics, type Metrics } from './metrics';
import { startNotifications } from './notifications';
import { startSlaWorker } from './sla-worker';
import { startWebhookWorker } from './webhooks/webhook-worker';

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
  return {
    ...opened,
    async close() {
      try {
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

/** Picks and builds every implementation the API needs, from the parsed configuration. */
export async function createServices(env: Env, logger: Logger): Promise<Composition> {
  const database = await openDatabase(env.database, logger);
  const storage = await openStorage(env.storage, logger);
  const sessionCache =
    env.sessionCacheTtlMs > 0
      ? createSessionCache({ ...defaultSessionCacheOptions, ttlMs: env.sessionCacheTtlMs })
      : undefined;
  const redis = env.redisUrl ? openRedis(env.redisUrl, logger) : null;
  const notifications = startNotifications(env, database.db, logger, sessionCache);
  const maintenance = startMaintenance(database.db, logger);
  const metrics = createMetrics({
    db: database.db,
    poolStats: () => database.poolStats(),
    notificationHub: notifications.hub,
  });
  const slaWorker = startSlaWorker(database.db, logger, {
    intervalMs: env.sla.checkIntervalMs,
    warningLeadMs: env.sla.warningLeadMs,
  });
  const webhookPolicy = {
    allowHttp: env.webhooks.allowHttp,
    allowedAddresses: env.webhooks.allowedAddresses,
    resolve: systemResolver,
  };
  const webhookTransport = createWebhookTransport({
    policy: webhookPolicy,
    timeoutMs: env.webhooks.timeoutMs,
  });
  const webhookWorker = startWebhookWorker({
    db: database.db,
    logger,
    concurrency: env.webhooks.concurrency,
    delivery: {
      transport: webhookTransport,
      batchSize: env.webhooks.batchSize,
      leaseMs: env.webhooks.leaseMs,
      backoff: { ...defaultWebhookBackoff, baseMs: env.webhooks.retryBaseMs },
    },
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
    webhooks: { policy: webhookPolicy, transport: webhookTransport },
  };
  return {
    services,
    metrics,
    drain: () => notifications.hub.close(),
    close: async () => {
      maintenance.stop();
      await slaWorker.stop();
      await webhookWorker.close();
      await notifications.close();
      storage.close();
      await redis?.quit().catch(() => {});
      return database.close();
    },
  };
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
