import type { ProcedureCall } from '@tickets/api';
import type { NotificationHub } from '@tickets/core';
import type { DB, PoolStats } from '@tickets/db';
import { type Kysely, sql } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { clusterAwareRender } from './cluster-metrics';

export interface Metrics {
  /** The Prometheus text exposition of every metric, read now. */
  render(): Promise<string>;
  readonly contentType: string;
  /** For AppServices.observeProcedure: counts a finished procedure call. */
  observeProcedure(call: ProcedureCall): void;
}

export interface MetricsSources {
  db: Kysely<DB>;
  poolStats(): PoolStats | null;
  notificationHub: Pick<NotificationHub, 'size'>;
}

/**
 * The server's metrics, in a registry of its own (not prom-client's global one, so two servers in one
 * process — tests — never share counters). Gauges are read when scraped, not kept up to date. With
 * WORKERS > 1 a scrape reports the sum over every worker (cluster-metrics.ts), each metric's `aggregator`
 * saying how to combine it (sum by default).
 */
export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tickets_' });
  const calls = new Counter({
    name: 'tickets_procedure_calls_total',
    help: 'tRPC procedure calls, by procedure, kind and outcome (ok, or the tRPC error code).',
    labelNames: ['procedure', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tickets_procedure_duration_seconds',
    help: 'Time from the call reaching its procedure to its answer (a subscription: to its stream opening).',
    labelNames: ['procedure', 'type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'tickets_db_pool_connections',
    help: 'PostgreSQL pool connections by state (in_use, idle), and requests waiting for one (waiting). Absent on the embedded database.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = sources.poolStats();
      if (!stats) return;
      this.set({ state: 'in_use' }, stats.total - stats.idle);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'tickets_notification_streams_open',
    help: 'Live notification streams (SSE subscriptions) open on this instance.',
    registers: [registry],
    collect() {
      this.set(sources.notificationHub.size);
    },
  });
  registerOutboxGauges(registry, sources.db);
  return {
    render: clusterAwareRender(registry),
    contentType: registry.contentType,
    observeProcedure({ path, type, outcome, durationSeconds }) {
      calls.inc({ procedure: path, type, outcome });
      duration.observe({ procedure: path, type }, durationSeconds);
    },
  };
}

/** The outbox's backlog: how many e-mails wait, and how long the oldest has waited. */
function registerOutboxGauges(registry: Registry, db: Kysely<DB>) {
  // One query for both outbox gauges, shared by the two collect() calls of one scrape.
  let outboxRead: Promise<{ pending: number; oldestAgeSeconds: number }> | null = null;
  const readOutbox = () => {
    outboxRead ??= sql<{ pending: number; oldestAgeSeconds: number | null }>`
      select count(*)::int as pending,
             extract(epoch from now() - min(created_at))::float8 as "oldestAgeSeconds"
      from notification_outbox where status = 'pending'`
      .execute(db)
      .then(({ rows }) => ({
        pending: rows[0]?.pending ?? 0,
        oldestAgeSeconds: rows[0]?.oldestAgeSeconds ?? 0,
      }))
      .finally(() => {
        setImmediate(() => {
          outboxRead = null;
        });
      });
    return outboxRead;
  };
  new Gauge({
    name: 'tickets_outbox_pending',
    help: 'E-mail notifications waiting in the outbox (not yet sent, including those waiting for a retry).',
    registers: [registry],
    // Every worker reads the same table: adding their answers would count each row once per worker.
    aggregator: 'max',
    async collect() {
      this.set((await readOutbox()).pending);
    },
  });
  new Gauge({
    name: 'tickets_outbox_oldest_age_seconds',
    help: 'Age of the oldest e-mail notification still waiting in the outbox (0 when none waits).',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      this.set((await readOutbox()).oldestAgeSeconds);
    },
  });
}
