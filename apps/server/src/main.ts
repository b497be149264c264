import { lowerPriority, niceFor } from './background/priority';
import { isClusterPrimary, serverStartOptions, stopSignals, superviseWorkers } from './cluster';
import { loadEnv, loadEnvOrExit } from './env';
import { createLogger } from './logger';
import { startServer } from './server';
import { explainStartupFailure } from './startup-errors';

const env = loadEnvOrExit(loadEnv);
const logger = createLogger(env.logLevel);

for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error) => {
    logger.fatal({ err: error }, event);
    process.exit(1);
  });
}

// A worker process yields the CPU to the API processes it shares the machine with (WORKER_NICE).
const nice = niceFor(env);
if (nice !== null) lowerPriority(nice, logger);
// WORKERS > 1: this process forks and supervises the workers (each runs this file too) and never serves.
if (isClusterPrimary(env)) await superviseWorkers(env, logger);
const signals = stopSignals();

let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer(env, logger, serverStartOptions());
} catch (error) {
  const explained = explainStartupFailure(error, env.database);
  if (explained) {
    // An expected failure: one sentence in the log and on the terminal, no stack.
    logger.fatal({ reason: explained }, 'failed to start');
    process.stderr.write(`Failed to start: ${explained}\n`);
  } else {
    logger.fatal({ err: error }, 'failed to start');
  }
  process.exit(1);
}

let stopping = false;
for (const signal of signals) {
  process.on(signal, () => {
    if (stopping) {
      // A second signal means "now": the operator does not want to wait for the drain.
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      (outcome) => {
        logger.info({ outcome }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
