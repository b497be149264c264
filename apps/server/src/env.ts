import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRequestLimits } from '@tickets/api';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  defaultLiveStreamLimits,
  defaultSessionCacheOptions,
  parseAllowedAddress,
} from '@tickets/core';
import { z } from 'zod';
import { defaultHttpSecurity } from './security/http-security';

// The only module that reads process.env (env.test.ts greps the tree to keep it so): everything else
// receives the parsed, typed Env from the composition root.

/** The repository root: relative DATA_DIR paths resolve against it, whatever folder pnpm runs us from. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// An empty variable (`FOO=` in a compose file or .env) means "unset", so the default applies.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: 'expected an integer' })
    .int({ error: 'expected an integer' })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` });

const flag = z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' });

const postgresUrl = z
  .string()
  .max(2_000)
  .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), {
    error: 'expected a postgres:// or postgresql:// URL',
  });

const smtpUrl = z
  .string()
  .max(2_000)
  .refine((value) => /^smtps?:\/\//.test(value) && URL.canParse(value), {
    error: 'expected an smtp:// or smtps:// URL',
  });

// Comma-separated origins, each exactly scheme://host[:port] as browsers send it in Origin.
const originList = z
  .string()
  .max(4_000)
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .refine((origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin), {
    error: 'expected comma-separated origins such as https://app.example.com (no path, no trailing slash)',
  });

// Comma-separated IP addresses or CIDR ranges (e.g. 127.0.0.1/32,10.1.0.0/16,fd00::/8).
const addressList = z
  .string()
  .max(4_000)
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine(
    (entries) =>
      entries.every((entry) => {
        try {
          parseAllowedAddress(entry);
          return true;
        } catch {
          return false;
        }
      }),
    { error: 'expected comma-separated IP addresses or CIDR ranges such as 10.0.0.0/8' },
  );

/**
 * `all`: the API and the background work in one process (the default, and the only role the embedded
 * database allows). `api`: HTTP only. `worker`: the background loops only, with /healthz, /readyz and
 * /metrics. Several of each may share one PostgreSQL.
 */
const serverRoles = ['all', 'api', 'worker'] as const;
export type ServerRole = (typeof serverRoles)[number];

const MAX_WORKERS = 64;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every variable the server reads. Add new ones here (with a default where one is sensible). */
const serverVariables = {
  NODE_ENV: optional(z.enum(['development', 'production', 'test'])),
  PORT: optional(integer(0, 65_535)),
  HOST: optional(z.string().min(1).max(255)),
  DATABASE_URL: optional(postgresUrl),
  DATABASE_LISTEN_URL: optional(postgresUrl),
  DATABASE_POOLER: optional(z.enum(['none', 'pgbouncer'])),
  DATA_DIR: optional(z.string().min(1).max(1_000)),
  SECURE_COOKIES: optional(flag),
  LOG_LEVEL: optional(z.enum(logLevels)),
  DB_POOL_MAX: optional(integer(1, 1_000)),
  DB_CONNECTION_TIMEOUT_MS: optional(integer(1, 600_000)),
  DB_STATEMENT_TIMEOUT_MS: optional(integer(1, 3_600_000)),
  SHUTDOWN_TIMEOUT_MS: optional(integer(0, 600_000)),
  // Server processes (node:cluster, cluster.ts): `auto` is one per core the process may use.
  WORKERS: optional(
    z.union([z.literal('auto'), integer(1, MAX_WORKERS)], {
      error: `expected an integer from 1 to ${MAX_WORKERS}, or auto`,
    }),
  ),
  SMTP_URL: optional(smtpUrl),
  MAIL_FROM: optional(z.string().min(3).max(320)),
  STORAGE_DRIVER: optional(z.enum(['local', 's3'])),
  STORAGE_DIR: optional(z.string().min(1).max(1_000)),
  S3_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s):// URL' }).max(2_000)),
  S3_BUCKET: optional(z.string().min(3).max(63)),
  S3_REGION: optional(z.string().min(1).max(64)),
  S3_ACCESS_KEY_ID: optional(z.string().min(1).max(256)),
  S3_SECRET_ACCESS_KEY: optional(z.string().min(1).max(256)),
  S3_FORCE_PATH_STYLE: optional(flag),
  MAX_UPLOAD_BYTES: optional(integer(1, 5 * 1024 ** 3)),
  ALLOWED_ORIGINS: optional(originList),
  TRUST_PROXY: optional(integer(0, 10)),
  TRPC_MAX_BODY_BYTES: optional(integer(1_024, 100 * 1024 ** 2)),
  TRPC_MAX_BATCH_SIZE: optional(integer(1, 1_000)),
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: optional(integer(1, 1_000_000)),
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: optional(integer(1, 1_000_000)),
  RATE_LIMIT_SIGN_IN_WINDOW_SECONDS: optional(integer(1, 86_400)),
  RATE_LIMIT_PER_USER_PER_MINUTE: optional(integer(1, 1_000_000)),
  LIVE_STREAMS_PER_USER: optional(integer(1, 1_000)),
  REDIS_URL: optional(
    z
      .string()
      .max(2_000)
      .refine((value) => /^rediss?:\/\//.test(value) && URL.canParse(value), {
        error: 'expected a redis:// or rediss:// URL',
      }),
  ),
  SESSION_CACHE_TTL_MS: optional(integer(0, 300_000)),
  LIVE_STREAMS_MAX: optional(integer(1, 1_000_000)),
  METRICS_TOKEN: optional(z.string().min(16, { error: 'expected at least 16 characters' }).max(256)),
  WEB_DIST_DIR: optional(z.string().min(1).max(1_000)),
  SLA_CHECK_INTERVAL_SECONDS: optional(integer(1, 3_600)),
  SLA_WARNING_LEAD_MINUTES: optional(integer(0, 10_080)),
  // What this process runs: the HTTP API, the background work (outboxes, SLA deadlines), or both.
  SERVER_ROLE: optional(z.enum(serverRoles, { error: 'expected all, api or worker' })),
  WORKER_NICE: optional(integer(0, 19)),
  WEBHOOK_ALLOW_HTTP: optional(flag),
  WEBHOOK_ALLOWED_ADDRESSES: optional(addressList),
  WEBHOOK_TIMEOUT_MS: optional(integer(100, 60_000)),
  WEBHOOK_LEASE_MS: optional(integer(1_000, 3_600_000)),
  WEBHOOK_RETRY_BASE_MS: optional(integer(100, 3_600_000)),
  WEBHOOK_BATCH_SIZE: optional(integer(1, 500)),
  WEBHOOK_CONCURRENCY: optional(integer(1, 32)),
};

const serverVariablesSchema = z.object(serverVariables);
type ServerVariables = z.output<typeof serverVariablesSchema>;

const serverSchema = serverVariablesSchema.transform((v, ctx) => {
  reportConflicts(v, ctx);
  return serverConfig(v);
});

const webhookTimeoutMsOf = (v: ServerVariables) => v.WEBHOOK_TIMEOUT_MS ?? 10_000;
const webhookLeaseMsOf = (v: ServerVariables) => v.WEBHOOK_LEASE_MS ?? 60_000;

/** Variables each valid on its own but not together. */
function reportConflicts(v: ServerVariables, ctx: z.RefinementCtx) {
  if (v.DATABASE_POOLER === 'pgbouncer' && !v.DATABASE_LISTEN_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_LISTEN_URL'],
      message: 'required with DATABASE_POOLER=pgbouncer: LISTEN cannot go through a transaction pooler',
    });
  }
  if (v.STORAGE_DRIVER === 's3' && !v.S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when STORAGE_DRIVER=s3' });
  }
  if (Boolean(v.S3_ACCESS_KEY_ID) !== Boolean(v.S3_SECRET_ACCESS_KEY)) {
    const missing = v.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'set both S3 keys, or neither (SDK default chain)',
    });
  }
  // PGlite lives inside one process and cannot be shared with another (data-dir-lock.ts refuses a second
  // one): `auto` is refused too, so a configuration does not start or fail depending on the machine.
  if (v.WORKERS !== undefined && v.WORKERS !== 1 && !v.DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['WORKERS'],
      message:
        'several server processes need PostgreSQL (set DATABASE_URL): the embedded database belongs to one process',
    });
  }
  const webhookTimeoutMs = webhookTimeoutMsOf(v);
  const webhookLeaseMs = webhookLeaseMsOf(v);
  // A lease shorter than a request would let a second worker send the same delivery while the first waits.
  if (webhookLeaseMs <= webhookTimeoutMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_LEASE_MS'],
      message: `must exceed WEBHOOK_TIMEOUT_MS (${webhookTimeoutMs})`,
    });
  }
  // PGlite lives inside one process: a second process cannot open its data folder.
  if (v.SERVER_ROLE && v.SERVER_ROLE !== 'all' && !v.DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['SERVER_ROLE'],
      message: `${v.SERVER_ROLE} needs DATABASE_URL: the embedded database runs in one process, so its only role is all`,
    });
  }
}

/** The typed configuration, defaults filled in. */
function serverConfig(v: ServerVariables) {
  const production = v.NODE_ENV === 'production';
  return {
    nodeEnv: v.NODE_ENV ?? 'development',
    production,
    port: v.PORT ?? 3000,
    host: v.HOST ?? '127.0.0.1',
    database: databaseConfig(v),
    secureCookies: v.SECURE_COOKIES ? v.SECURE_COOKIES === 'true' || v.SECURE_COOKIES === '1' : production,
    logLevel: v.LOG_LEVEL ?? 'info',
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS ?? 10_000,
    // 1: this process serves (no cluster). More: a primary forks that many server processes (cluster.ts).
    workers: v.WORKERS === 'auto' ? Math.min(availableParallelism(), MAX_WORKERS) : (v.WORKERS ?? 1),
    // E-mail notifications need an SMTP server; without one they are not sent (in-app ones still are).
    mail: v.SMTP_URL ? { smtpUrl: v.SMTP_URL, from: v.MAIL_FROM ?? 'Tickets <no-reply@localhost>' } : null,
    storage: storageConfig(v),
    maxUploadBytes: v.MAX_UPLOAD_BYTES ?? DEFAULT_MAX_UPLOAD_BYTES,
    // Unset: no /metrics at all (404).
    metricsToken: v.METRICS_TOKEN ?? null,
    // The built web console served at `/` (a missing folder serves a page saying how to build it).
    webDistDir: resolveDataDir(v.WEB_DIST_DIR ?? 'apps/web/dist'),
    sla: {
      checkIntervalMs: (v.SLA_CHECK_INTERVAL_SECONDS ?? 30) * 1000,
      warningLeadMs: (v.SLA_WARNING_LEAD_MINUTES ?? 30) * 60_000,
    },
    http: {
      allowedOrigins: v.ALLOWED_ORIGINS ?? defaultHttpSecurity.allowedOrigins,
      trustProxy: v.TRUST_PROXY ?? defaultHttpSecurity.trustProxy,
      maxTrpcBodyBytes: v.TRPC_MAX_BODY_BYTES ?? defaultHttpSecurity.maxTrpcBodyBytes,
      maxBatchSize: v.TRPC_MAX_BATCH_SIZE ?? defaultHttpSecurity.maxBatchSize,
    },
    // Where the per-user budget is counted: Redis shared by every instance, or each process's memory.
    redisUrl: v.REDIS_URL ?? null,
    // 0 turns the session cache off: every call then checks its session in the database.
    sessionCacheTtlMs: v.SESSION_CACHE_TTL_MS ?? defaultSessionCacheOptions.ttlMs,
    liveStreams: {
      maxPerUser: v.LIVE_STREAMS_PER_USER ?? defaultLiveStreamLimits.maxPerUser,
      maxTotal: v.LIVE_STREAMS_MAX ?? defaultLiveStreamLimits.maxTotal,
      verifyEveryMs: defaultLiveStreamLimits.verifyEveryMs,
    },
    role: v.SERVER_ROLE ?? 'all',
    // The worker role's scheduling priority (nice): API processes on the same machine get the CPU first.
    workerNice: v.WORKER_NICE ?? 10,
    webhooks: webhooksConfig(v),
    requestLimits: requestLimitsConfig(v),
  };
}

function databaseConfig(v: ServerVariables) {
  return v.DATABASE_URL
    ? ({
        kind: 'postgres',
        url: v.DATABASE_URL,
        // LISTEN needs a connection of its own for good: straight to PostgreSQL, not through a pooler.
        listenUrl: v.DATABASE_LISTEN_URL ?? v.DATABASE_URL,
        pooler: v.DATABASE_POOLER === 'pgbouncer' ? ('pgbouncer' as const) : null,
        maxConnections: v.DB_POOL_MAX ?? 10,
        connectionTimeoutMs: v.DB_CONNECTION_TIMEOUT_MS ?? 5_000,
        statementTimeoutMs: v.DB_STATEMENT_TIMEOUT_MS ?? 15_000,
      } as const)
    : ({ kind: 'pglite', dataDir: resolveDataDir(v.DATA_DIR ?? '.data/pglite') } as const);
}

function storageConfig(v: ServerVariables) {
  return v.STORAGE_DRIVER === 's3'
    ? ({
        driver: 's3',
        bucket: v.S3_BUCKET as string,
        region: v.S3_REGION ?? 'us-east-1',
        endpoint: v.S3_ENDPOINT,
        credentials:
          v.S3_ACCESS_KEY_ID && v.S3_SECRET_ACCESS_KEY
            ? { accessKeyId: v.S3_ACCESS_KEY_ID, secretAccessKey: v.S3_SECRET_ACCESS_KEY }
            : undefined,
        forcePathStyle: v.S3_FORCE_PATH_STYLE === 'true' || v.S3_FORCE_PATH_STYLE === '1',
      } as const)
    : ({ driver: 'local', dir: resolveDataDir(v.STORAGE_DIR ?? '.data/attachments') } as const);
}

function webhooksConfig(v: ServerVariables) {
  return {
    allowHttp: v.WEBHOOK_ALLOW_HTTP === 'true' || v.WEBHOOK_ALLOW_HTTP === '1',
    allowedAddresses: v.WEBHOOK_ALLOWED_ADDRESSES ?? [],
    timeoutMs: webhookTimeoutMsOf(v),
    leaseMs: webhookLeaseMsOf(v),
    retryBaseMs: v.WEBHOOK_RETRY_BASE_MS ?? 30_000,
    batchSize: v.WEBHOOK_BATCH_SIZE ?? 20,
    concurrency: v.WEBHOOK_CONCURRENCY ?? 2,
  };
}

function requestLimitsConfig(v: ServerVariables) {
  return {
    signInPerAccount: {
      limit: v.RATE_LIMIT_SIGN_IN_PER_ACCOUNT ?? defaultRequestLimits.signInPerAccount.limit,
      windowSeconds:
        v.RATE_LIMIT_SIGN_IN_WINDOW_SECONDS ?? defaultRequestLimits.signInPerAccount.windowSeconds,
    },
    signInPerAddress: {
      limit: v.RATE_LIMIT_SIGN_IN_PER_ADDRESS ?? defaultRequestLimits.signInPerAddress.limit,
      windowSeconds:
        v.RATE_LIMIT_SIGN_IN_WINDOW_SECONDS ?? defaultRequestLimits.signInPerAddress.windowSeconds,
    },
    perUser: {
      limit: v.RATE_LIMIT_PER_USER_PER_MINUTE ?? defaultRequestLimits.perUser.limit,
      windowSeconds: 60,
    },
  };
}

export type Env = z.infer<typeof serverSchema>;
export type LogLevel = (typeof logLevels)[number];

function resolveDataDir(dir: string): string {
  return isAbsolute(dir) ? dir : resolve(repoRoot, dir);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Source = Readonly<Record<string, string | undefined>>;

/** Parses the server's configuration; throws ConfigError naming each bad variable. */
export function loadEnv(source: Source = process.env): Env {
  const result = serverSchema.safeParse(source);
  if (result.success) return result.data;
  throw configError(result.error, source);
}

const cliSchema = z.object({ SUPERADMIN_PASSWORD: optional(z.string().max(1_000)) });

/** The server's configuration plus what the command-line tools read. */
export function loadCliEnv(source: Source = process.env): Env & { superadminPassword: string | undefined } {
  const env = loadEnv(source);
  const result = cliSchema.safeParse(source);
  if (!result.success) throw configError(result.error, source);
  return { ...env, superadminPassword: result.data.SUPERADMIN_PASSWORD };
}

function configError(error: z.ZodError, source: Source): ConfigError {
  const lines = error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const value = source[name];
    // Never echo a URL, a password or a key back: any may carry a secret.
    const secret = /(_URL|_ENDPOINT|PASSWORD|_KEY|_KEY_ID|_TOKEN)$/.test(name);
    const shown = value === undefined || secret ? '' : ` (got "${value}")`;
    return `  ${name}: ${issue.message}${shown}`;
  });
  return new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** For entry points: the configuration, or a clear message on stderr and exit code 1. */
export function loadEnvOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
