import { sql } from 'kysely';
import { createNotifications } from '../notifications/create-notifications';
import { type BackoffSchedule, backoffDelayMs } from '../shared/backoff';
import { type Executor, inTransaction } from '../shared/transaction';
import { WEBHOOK_PING_EVENT } from './events';
import { signingSecrets, signWebhook } from './secrets';
import type { WebhookTransport } from './transport';

export interface WebhookDeliveryOptions {
  transport: WebhookTransport;
  /** Rows claimed per call (and sent at once). */
  batchSize?: number;
  /** How long a claimed row stays invisible to other workers: longer than the transport's timeout. */
  leaseMs?: number;
  /** Attempts before a delivery is given up (status `failed`): with the default schedule, about a day. */
  maxAttempts?: number;
  backoff?: BackoffSchedule;
  /** The endpoint is disabled after this many failed attempts in a row… */
  disableAfterFailures?: number;
  /** …once it has been failing for at least this long (a short outage never disables it). */
  disableAfterMs?: number;
  now?: () => Date;
  random?: () => number;
}

export interface WebhookBatchResult {
  claimed: number;
  delivered: number;
  /** Failed this time, retried later. */
  retrying: number;
  /** Failed for the last time. */
  failed: number;
  /** Endpoints disabled by this batch. */
  disabled: number;
  /** Outcomes dropped because another worker re-claimed the row after this one's lease ended. */
  stale: number;
}

/** 30 s, 1, 2, 4 … 256 min, then 6 h: 14 attempts span about 26 hours. */
export const defaultWebhookBackoff: BackoffSchedule = { baseMs: 30_000, maxMs: 6 * 60 * 60_000 };
export const DEFAULT_WEBHOOK_MAX_ATTEMPTS = 14;

const MAX_ERROR_LENGTH = 1_000;

interface ClaimedDelivery {
  id: string;
  endpointId: string;
  messageId: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** What an attempt needs of its endpoint, read once per batch. */
export interface DeliveryEndpoint {
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
}

/**
 * Claims a batch of due deliveries of enabled endpoints (FOR UPDATE SKIP LOCKED, so workers on several
 * instances never take the same row), POSTs each signed, and records the outcome. The claim is its own
 * statement and commits before any request starts: no transaction stays open while a receiver answers,
 * and a worker that dies mid-request leaves a row that comes due again when its lease ends.
 */
export async function deliverWebhookBatch(
  db: Executor,
  options: WebhookDeliveryOptions,
): Promise<WebhookBatchResult> {
  const { batchSize = 20, leaseMs = 60_000, now: clock = () => new Date() } = options;
  const result: WebhookBatchResult = {
    claimed: 0,
    delivered: 0,
    retrying: 0,
    failed: 0,
    disabled: 0,
    stale: 0,
  };
  const now = clock();
  const claimed = await claimDueDeliveries(db, now, { leaseMs, batchSize });
  result.claimed = claimed.length;
  if (claimed.length === 0) return result;

  const endpoints = await db
    .selectFrom('webhookEndpoints')
    .select(['id', 'url', 'secret', 'previousSecret', 'previousSecretExpiresAt'])
    .where('id', 'in', [...new Set(claimed.map((row) => row.endpointId))])
    .execute();
  const endpointById = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
  const outcomes = await Promise.all(
    claimed.map((row) => attemptDelivery(endpointById.get(row.endpointId), row, options)),
  );

  // Successes, the common case, are written in two statements for the whole batch; failures (retry
  // schedule, endpoint health, perhaps disabling) one by one.
  const successes = claimed.flatMap((row, index) => {
    const outcome = outcomes[index] as AttemptOutcome;
    return outcome.ok ? [{ row, outcome }] : [];
  });
  if (successes.length > 0) {
    const recorded = await recordSuccesses(db, successes, clock());
    result.delivered += recorded;
    result.stale += successes.length - recorded;
  }
  for (const [index, row] of claimed.entries()) {
    const outcome = outcomes[index] as AttemptOutcome;
    if (outcome.ok) continue;
    const recorded = await recordOutcome(db, row, outcome, options);
    result[recorded.status] += 1;
    if (recorded.disabledEndpoint) result.disabled += 1;
  }
  return result;
}

/** Claims due deliveries of enabled endpoints for `leaseMs`, counting the attempt. */
function claimDueDeliveries(
  db: Executor,
  now: Date,
  { leaseMs, batchSize }: { leaseMs: number; batchSize: number },
): Promise<ClaimedDelivery[]> {
  return db
    .updateTable('webhookDeliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      nextAttemptAt: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhookDeliveries as delivery')
        .select('delivery.id')
        .where('delivery.status', '=', 'pending')
        .where('delivery.nextAttemptAt', '<=', now)
        // A disabled endpoint's deliveries wait, pending, until an admin enables it again.
        .where((w) =>
          w.exists(
            w
              .selectFrom('webhookEndpoints as endpoint')
              .select(w.lit(1).as('one'))
              .whereRef('endpoint.id', '=', 'delivery.endpointId')
              .where('endpoint.enabled', '=', true),
          ),
        )
        .orderBy('delivery.nextAttemptAt')
        .limit(batchSize)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'endpointId', 'messageId', 'eventType', 'payload', 'attempts'])
    .execute();
}

/**
 * Marks the batch's successful deliveries delivered (those still this attempt's: see recordSuccess)
 * and ends their endpoints' runs of failures. Returns how many were recorded.
 */
async function recordSuccesses(
  db: Executor,
  successes: Array<{ row: ClaimedDelivery; outcome: AttemptOutcome }>,
  finished: Date,
): Promise<number> {
  const values = sql.join(
    successes.map(
      ({ row, outcome }) =>
        sql`(${row.id}::uuid, ${row.attempts}::integer, ${outcome.statusCode}::integer, ${outcome.latencyMs}::integer)`,
    ),
  );
  const recorded = await sql<{ endpointId: string }>`
    update webhook_deliveries as delivery
    set status = 'delivered', delivered_at = ${finished}, last_attempt_at = ${finished},
      last_status_code = outcome.status_code, last_latency_ms = outcome.latency_ms, last_error = null,
      updated_at = ${finished}
    from (values ${values}) as outcome (id, attempts, status_code, latency_ms)
    where delivery.id = outcome.id and delivery.attempts = outcome.attempts and delivery.status = 'pending'
    returning delivery.endpoint_id`.execute(db);
  await endFailureRuns(db, [...new Set(recorded.rows.map((row) => row.endpointId))]);
  return recorded.rows.length;
}

/** A success ends its endpoint's run of failures (only endpoints that were failing are written). */
async function endFailureRuns(db: Executor, endpointIds: string[]): Promise<void> {
  if (endpointIds.length === 0) return;
  await db
    .updateTable('webhookEndpoints')
    .set({ consecutiveFailures: 0, failingSince: null })
    .where('id', 'in', endpointIds)
    .where((w) => w.or([w('consecutiveFailures', '>', 0), w('failingSince', 'is not', null)]))
    .execute();
}

/** One signed POST of a claimed delivery, with the endpoint's URL and secrets as they are now. */
export async function attemptDelivery(
  endpoint: DeliveryEndpoint | undefined,
  row: ClaimedDelivery,
  options: Pick<WebhookDeliveryOptions, 'transport' | 'now'>,
): Promise<AttemptOutcome> {
  if (!endpoint) return { ok: false, statusCode: null, latencyMs: null, error: 'endpoint deleted' };
  const now = (options.now ?? (() => new Date()))();
  const body = JSON.stringify(row.payload);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'tickets-webhooks/1',
    ...signWebhook(row.messageId, now, body, signingSecrets(endpoint, now)),
  };
  try {
    const response = await options.transport({ url: endpoint.url, body, headers });
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return {
      ok,
      statusCode: response.statusCode,
      latencyMs: response.latencyMs,
      error: ok
        ? null
        : `HTTP ${response.statusCode}${response.bodyExcerpt ? `: ${response.bodyExcerpt}` : ''}`,
    };
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, statusCode: null, latencyMs: null, error: text };
  }
}

/**
 * Writes the attempt's outcome on the delivery and the endpoint's health in one transaction. A failure
 * schedules a retry (backoff with jitter) or gives up after maxAttempts; a run of failures long enough
 * disables the endpoint and tells the workspace's admins. A ping (the `test` procedure) is tried once
 * and never counts toward the endpoint's health. An outcome that arrives after another worker re-claimed
 * the row (this one outlived its lease) is dropped: the row is that worker's now.
 */
export async function recordOutcome(
  db: Executor,
  row: ClaimedDelivery,
  outcome: AttemptOutcome,
  options: Omit<WebhookDeliveryOptions, 'transport'>,
): Promise<{ status: 'delivered' | 'retrying' | 'failed' | 'stale'; disabledEndpoint: boolean }> {
  const {
    maxAttempts = DEFAULT_WEBHOOK_MAX_ATTEMPTS,
    backoff = defaultWebhookBackoff,
    disableAfterFailures = 10,
    disableAfterMs = 24 * 60 * 60_000,
    now: clock = () => new Date(),
    random = Math.random,
  } = options;
  const finished = clock();
  const ping = row.eventType === WEBHOOK_PING_EVENT;
  const attempt: AttemptColumns = {
    lastAttemptAt: finished,
    lastStatusCode: outcome.statusCode,
    lastLatencyMs: outcome.latencyMs,
    lastError: outcome.error?.slice(0, MAX_ERROR_LENGTH) ?? null,
    updatedAt: finished,
  };
  return inTransaction(db, async (tx) => {
    if (outcome.ok) return recordSuccess(tx, row, attempt, ping);
    const giveUp = ping || row.attempts >= maxAttempts;
    const nextAttemptAt = new Date(finished.getTime() + backoffDelayMs(row.attempts, backoff, random));
    if (!(await recordFailure(tx, row, attempt, giveUp ? 'failed' : 'pending', nextAttemptAt))) {
      return { status: 'stale', disabledEndpoint: false };
    }
    const status = giveUp ? 'failed' : 'retrying';
    if (ping) return { status, disabledEndpoint: false };
    const endpoint = await countEndpointFailure(tx, row.endpointId, finished);
    const failingLongEnough =
      endpoint?.failingSince && finished.getTime() - endpoint.failingSince.getTime() >= disableAfterMs;
    if (!endpoint?.enabled || endpoint.consecutiveFailures < disableAfterFailures || !failingLongEnough) {
      return { status, disabledEndpoint: false };
    }
    await disableEndpoint(tx, endpoint, outcome, finished);
    return { status, disabledEndpoint: true };
  });
}

/** What every attempt writes on its delivery, success or failure. */
interface AttemptColumns {
  lastAttemptAt: Date;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  updatedAt: Date;
}

/** Marks the delivery delivered and ends its endpoint's run of failures (a ping leaves the endpoint alone). */
async function recordSuccess(
  tx: Executor,
  row: ClaimedDelivery,
  attempt: AttemptColumns,
  ping: boolean,
): Promise<{ status: 'delivered' | 'stale'; disabledEndpoint: false }> {
  // Only while the row is still this attempt's: a worker that outlived its lease (a receiver slower
  // than the lease) must not overwrite what the worker that re-claimed the row has since recorded.
  const written = await tx
    .updateTable('webhookDeliveries')
    .set({ ...attempt, status: 'delivered', deliveredAt: attempt.lastAttemptAt })
    .where('id', '=', row.id)
    .where('attempts', '=', row.attempts)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (written.numUpdatedRows === 0n) return { status: 'stale', disabledEndpoint: false };
  if (!ping) await endFailureRuns(tx, [row.endpointId]);
  return { status: 'delivered', disabledEndpoint: false };
}

/**
 * Writes a failed attempt on the delivery: retried at `nextAttemptAt`, or given up. False when the row is
 * no longer this attempt's (see recordSuccess).
 */
async function recordFailure(
  tx: Executor,
  row: ClaimedDelivery,
  attempt: AttemptColumns,
  status: 'pending' | 'failed',
  nextAttemptAt: Date,
): Promise<boolean> {
  const written = await tx
    .updateTable('webhookDeliveries')
    .set({ ...attempt, status, nextAttemptAt })
    .where('id', '=', row.id)
    .where('attempts', '=', row.attempts)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return written.numUpdatedRows > 0n;
}

/** Adds one to the endpoint's run of failures (starting it now if none was running); returns the endpoint. */
function countEndpointFailure(tx: Executor, endpointId: string, finished: Date) {
  return tx
    .updateTable('webhookEndpoints')
    .set((eb) => ({
      consecutiveFailures: eb('consecutiveFailures', '+', 1),
      failingSince: eb.fn.coalesce('failingSince', eb.val(finished)),
    }))
    .where('id', '=', endpointId)
    .returning(['id', 'workspaceId', 'url', 'enabled', 'consecutiveFailures', 'failingSince', 'createdBy'])
    .executeTakeFirst();
}

type FailingEndpoint = NonNullable<Awaited<ReturnType<typeof countEndpointFailure>>>;

/** Disables the endpoint, saying why, and tells the workspace's admins. */
async function disableEndpoint(
  tx: Executor,
  endpoint: FailingEndpoint,
  outcome: AttemptOutcome,
  finished: Date,
) {
  const reason = `Disabled after ${endpoint.consecutiveFailures} failed attempts in a row (last: ${
    outcome.error?.slice(0, 200) ?? 'unknown error'
  }).`;
  await tx
    .updateTable('webhookEndpoints')
    .set({ enabled: false, disabledReason: reason, updatedAt: finished })
    .where('id', '=', endpoint.id)
    .execute();
  const admins = await tx
    .selectFrom('users')
    .select('id')
    .where('workspaceId', '=', endpoint.workspaceId)
    .where('role', '=', 'admin')
    .where('isActive', '=', true)
    .execute();
  await createNotifications(tx, {
    workspaceId: endpoint.workspaceId,
    type: 'webhook.disabled',
    ticketId: null,
    // The admin who created the endpoint stands as the actor; they must hear of it like every other admin.
    actorId: endpoint.createdBy,
    notifyActor: true,
    recipientIds: admins.map((admin) => admin.id),
    data: { endpointId: endpoint.id, url: endpoint.url, consecutiveFailures: endpoint.consecutiveFailures },
  });
}

/** Deletes finished deliveries older than `olderThan` (pending ones wait for their endpoint). */
export async function pruneWebhookDeliveries(db: Executor, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('webhookDeliveries')
    .where('status', '<>', 'pending')
    .where('updatedAt', '<', olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
