import { setPriority } from 'node:os';
import type { Env } from '../env';
import type { Logger } from '../logger';

/**
 * Lowers this process's scheduling priority to `nice` (0–19; higher yields more). A worker process
 * shares the machine with API processes: with a higher nice value the kernel gives them the CPU first
 * when both want it, and deliveries take what is left, while an idle machine still runs the worker at
 * full speed. An OS that refuses (a container without the capability, a process already niced further
 * than asked, which only a privileged user may undo) leaves the worker at its current priority, logged.
 */
export function lowerPriority(
  nice: number,
  logger: Logger,
  set: (priority: number) => void = (priority) => setPriority(priority),
): boolean {
  try {
    set(nice);
    logger.info({ nice }, 'worker priority lowered');
    return true;
  } catch (error) {
    logger.warn({ err: error, nice }, 'the OS refused the worker priority; running at the current one');
    return false;
  }
}

/** The nice value this process takes: a `worker` its WORKER_NICE; `all` and `api` none (they serve requests). */
export function niceFor(env: Pick<Env, 'role' | 'workerNice'>): number | null {
  return env.role === 'worker' ? env.workerNice : null;
}
