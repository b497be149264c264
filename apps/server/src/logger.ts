import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './env';

export type { Logger };

/**
 * One JSON object per line on stdout (or `destination`, for tests), level as a word and ISO time, so
 * `jq` and log shippers read it without configuration.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
