import cluster, { type Worker } from 'node:cluster';
import { serveClusterMetrics } from './cluster-metrics';
import type { Env } from './env';
import type { Logger } from './logger';
import type { StartOptions } from './server';
import { ensurePortIsFree, explainStartupFailure } from './startup-errors';

// WORKERS=N (N > 1): the process started by the operator becomes a primary that forks N workers and
// supervises them; each worker runs main.ts like a one-process server (its own pool, LISTEN connection,
// background loops) and node:cluster hands it connections on the shared port (round-robin from the
// primary, the default on Linux). The primary opens no database: it forks, replaces, relays the stop
// signal and answers the workers' metrics requests (cluster-metrics.ts). docs/DEPLOYMENT.md says when it
// pays.

/** True in the process the operator started with WORKERS > 1: it supervises, it never serves. */
export function isClusterPrimary(env: Pick<Env, 'workers'>): boolean {
  return env.workers > 1 && cluster.isPrimary;
}

/**
 * How this process's server starts: in a cluster's worker the primary has already probed the port (a
 * second worker's own exclusive probe would find the port taken by the first), and only the first worker
 * announces the first-run setup (each announcement issues a token of its own).
 */
export function serverStartOptions(): Required<StartOptions> {
  if (!cluster.isWorker) return { checkPort: true, announceFirstRun: true };
  return { checkPort: false, announceFirstRun: cluster.worker?.id === 1 };
}

/**
 * The signals that stop this process. A worker leaves SIGINT to its primary and ignores it: Ctrl-C in a
 * terminal reaches the whole process group, and the primary's SIGTERM following it would otherwise be
 * a second signal ("stop now") to a worker that had only just begun to drain.
 */
export function stopSignals(): NodeJS.Signals[] {
  if (!cluster.isWorker) return ['SIGTERM', 'SIGINT'];
  process.on('SIGINT', () => {});
  return ['SIGTERM'];
}

/**
 * DB_POOL_MAX split between the workers, so a machine opens as many PostgreSQL connections with N
 * workers as with one process (plus one LISTEN connection per worker); each worker gets at least one.
 */
export function poolShares(total: number, workers: number): number[] {
  const base = Math.floor(total / workers);
  return Array.from({ length: workers }, (_, slot) => Math.max(1, base + (slot < total % workers ? 1 : 0)));
}

export interface RestartPolicy {
  /** A worker that lived this long died of something other than its start-up: replace it at once. */
  stableAfterMs: number;
  /** The wait after the first quick exit; it doubles with each further one in a row. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  stableAfterMs: 10_000,
  firstDelayMs: 500,
  maxDelayMs: 30_000,
};

/**
 * After a worker's unexpected exit: the count of quick exits in a row (of any worker) and the wait
 * before its replacement, so a worker that crashes as it starts (a bad deploy, the database gone) is
 * retried every 30 s at most rather than forked in a tight loop.
 */
export function nextRestart(
  policy: RestartPolicy,
  quickExitsBefore: number,
  livedMs: number,
): { quickExits: number; delayMs: number } {
  if (livedMs >= policy.stableAfterMs) return { quickExits: 0, delayMs: 0 };
  const quickExits = quickExitsBefore + 1;
  return { quickExits, delayMs: Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (quickExits - 1)) };
}

interface Slot {
  /** The PostgreSQL pool size of the worker in this slot (its replacements get the same). */
  poolSize: number;
  worker: Worker | null;
  startedAt: number;
  listening: boolean;
}

/** What the primary knows while it supervises. */
interface Supervision {
  readonly env: Env;
  readonly logger: Logger;
  readonly policy: RestartPolicy;
  readonly slots: Slot[];
  /** Replacements waiting for their delay (cancelled by a stop). */
  readonly restarts: Set<NodeJS.Timeout>;
  /** Every worker has listened once: from now on an exit is replaced, not a failed start. */
  up: boolean;
  stopping: boolean;
  signalled: boolean;
  failed: boolean;
  /** Quick exits in a row, of any worker (nextRestart). */
  quickExits: number;
}

/**
 * Forks env.workers workers and supervises them until a signal stops them all, then exits the process:
 * it never returns. Start-up fails as a single process's would (exit 1) if a worker exits before every
 * worker is listening; after that, a worker that exits is replaced (see nextRestart). The first SIGTERM
 * or SIGINT asks every worker to drain (its usual graceful stop) and exits once all have exited, 0 if
 * all stopped cleanly; a second signal kills them and exits 1 at once.
 */
export async function superviseWorkers(
  env: Env,
  logger: Logger,
  policy: RestartPolicy = defaultRestartPolicy,
): Promise<never> {
  if (env.database.kind !== 'postgres') {
    throw new Error('WORKERS > 1 needs PostgreSQL (env.ts refuses it with the embedded database)');
  }
  await ensurePortIsFreeOrExit(env, logger);
  serveClusterMetrics();
  const supervision: Supervision = {
    env,
    logger,
    policy,
    slots: poolShares(env.database.maxConnections, env.workers).map((poolSize) => ({
      poolSize,
      worker: null,
      startedAt: 0,
      listening: false,
    })),
    restarts: new Set(),
    up: false,
    stopping: false,
    signalled: false,
    failed: false,
    quickExits: 0,
  };
  cluster.on('listening', (worker, address) => workerListening(supervision, worker, address.port));
  cluster.on('exit', (worker, code, signal) => workerExited(supervision, worker, code, signal));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => stopSignalled(supervision, signal));
  }
  logger.info(
    { workers: supervision.slots.length, poolPerWorker: supervision.slots.map((slot) => slot.poolSize) },
    'starting workers',
  );
  for (const slot of supervision.slots) fork(slot);
  // Settled by process.exit only: the caller's code after this never runs in the primary.
  return new Promise<never>(() => {});
}

/** The port is probed once, here: a worker's own exclusive probe would find it taken by its siblings. */
async function ensurePortIsFreeOrExit(env: Env, logger: Logger): Promise<void> {
  try {
    await ensurePortIsFree(env.host, env.port);
  } catch (error) {
    const explained = explainStartupFailure(error, env.database);
    logger.fatal(explained ? { reason: explained } : { err: error }, 'failed to start');
    if (explained) process.stderr.write(`Failed to start: ${explained}\n`);
    process.exit(1);
  }
}

function fork(slot: Slot): void {
  // The worker reads its share of the pool as its own DB_POOL_MAX.
  slot.worker = cluster.fork({ DB_POOL_MAX: String(slot.poolSize) });
  slot.startedAt = Date.now();
  slot.listening = false;
}

const slotOf = (supervision: Supervision, worker: Worker) =>
  supervision.slots.find((slot) => slot.worker === worker);

const runningWorkers = (supervision: Supervision) =>
  supervision.slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));

function workerListening(supervision: Supervision, worker: Worker, port: number): void {
  const slot = slotOf(supervision, worker);
  if (!slot) return;
  slot.listening = true;
  if (supervision.up) {
    supervision.logger.info({ worker: worker.id, workerPid: worker.process.pid }, 'worker replaced');
  } else if (supervision.slots.every((each) => each.listening)) {
    supervision.up = true;
    // What `PORT=0` callers (tests, the bench) wait for: the port every worker serves on.
    supervision.logger.info(
      { port, host: supervision.env.host, workers: supervision.slots.length },
      'cluster listening',
    );
  }
}

function workerExited(supervision: Supervision, worker: Worker, code: number, signal: string): void {
  const slot = slotOf(supervision, worker);
  if (!slot) return;
  slot.worker = null;
  if (supervision.stopping) {
    if (code !== 0 && signal !== 'SIGTERM') supervision.failed = true;
    exitWhenAllGone(supervision);
    return;
  }
  if (!supervision.up) {
    supervision.logger.fatal(
      { worker: worker.id, code, signal },
      'a worker failed to start: stopping the others',
    );
    supervision.failed = true;
    stopAll(supervision);
    return;
  }
  replaceLater(supervision, slot, { worker: worker.id, workerPid: worker.process.pid, code, signal });
}

function replaceLater(supervision: Supervision, slot: Slot, exited: Record<string, unknown>): void {
  const next = nextRestart(supervision.policy, supervision.quickExits, Date.now() - slot.startedAt);
  supervision.quickExits = next.quickExits;
  supervision.logger.warn({ ...exited, restartInMs: next.delayMs }, 'worker exited: starting another');
  const timer = setTimeout(() => {
    supervision.restarts.delete(timer);
    if (!supervision.stopping) fork(slot);
  }, next.delayMs);
  supervision.restarts.add(timer);
}

function stopSignalled(supervision: Supervision, signal: NodeJS.Signals): void {
  if (supervision.signalled) {
    supervision.logger.warn({ signal }, 'second signal: exiting without waiting');
    for (const worker of runningWorkers(supervision)) worker.process.kill('SIGKILL');
    process.exit(1);
  }
  supervision.signalled = true;
  supervision.logger.info({ signal, workers: runningWorkers(supervision).length }, 'shutting down');
  stopAll(supervision);
}

function stopAll(supervision: Supervision): void {
  supervision.stopping = true;
  for (const timer of supervision.restarts) clearTimeout(timer);
  supervision.restarts.clear();
  // Each worker drains as a one-process server does on SIGTERM; one still starting (no handler yet)
  // simply ends.
  for (const worker of runningWorkers(supervision)) worker.process.kill('SIGTERM');
  exitWhenAllGone(supervision);
}

function exitWhenAllGone(supervision: Supervision): void {
  if (runningWorkers(supervision).length > 0) return;
  supervision.logger.info({ outcome: supervision.failed ? 'failed' : 'stopped' }, 'stopped');
  process.exit(supervision.failed ? 1 : 0);
}
