import cluster from 'node:cluster';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './env';

export type { Logger };

/** The largest write a pipe keeps atomic on Linux. */
const PIPE_BUF = 4_096;

/**
 * One JSON object per line on stdout (or `destination`, for tests), level as a word and ISO time, so
 * `jq` and log shippers read it without configuration.
 *
 * Written asynchronously: a line logged while the previous write is still in flight joins the next
 * write, so under load one write carries many requests' lines instead of each request paying a
 * blocking write (a system call per request). Pino flushes what is pending when the process exits;
 * only a crash of the machine itself can lose the last lines.
 *
 * In a cluster's worker (WORKERS), each write holds whole lines and at most PIPE_BUF (4 KiB) of them: the
 * workers share one stdout, and a pipe keeps a write that small in one piece, so two workers' lines
 * never interleave mid-line. A lone process keeps pino's larger writes (fewer system calls).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(
    options,
    destination ??
      pino.destination({
        dest: 1,
        sync: false,
        ...(cluster.isWorker ? { maxWrite: PIPE_BUF } : {}),
      }),
  );
}
