import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import type { Env } from './env';
import { announceFirstRunSetup } from './first-run';
import { composeInstance } from './instance';
import type { Logger } from './logger';
import { ensurePortIsFree } from './startup-errors';

export interface RunningServer {
  /** The port really bound (PORT=0 asks the system for a free one). */
  readonly port: number;
  /** The underlying node:http server (tests observe its events). */
  readonly http: Server;
  /**
   * Graceful stop: /readyz turns 503, the listener closes, requests in flight finish (up to
   * SHUTDOWN_TIMEOUT_MS, then their connections are cut), the background work finishes what it has in
   * flight (roles all and worker), then the database closes. Idempotent.
   */
  stop(): Promise<'drained' | 'forced'>;
}

export interface StartOptions {
  /** Probe the port first for a clear message when it is taken (a cluster's primary probes it once instead). */
  checkPort?: boolean;
  /** Print the first-run setup link when no superadmin exists (only one worker of a cluster does). */
  announceFirstRun?: boolean;
}

export async function startServer(
  env: Env,
  logger: Logger,
  { checkPort = true, announceFirstRun = true }: StartOptions = {},
): Promise<RunningServer> {
  if (checkPort) await ensurePortIsFree(env.host, env.port);
  let draining = false;
  const composition = await composeInstance(env, logger, () => draining);
  // Without TLS or HTTP/2 options @hono/node-server creates a plain node:http server.
  const server = serve({ fetch: composition.fetch, port: env.port, hostname: env.host }) as Server;
  try {
    await once(server, 'listening');
  } catch (error) {
    await composition.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: env.host, role: env.role }, 'listening');
  // The setup link points at the API: a worker has none to offer.
  if (announceFirstRun && env.role !== 'worker')
    await announceFirstRunSetup(composition.db, { host: env.host, port }, logger);

  let stopping: Promise<'drained' | 'forced'> | undefined;
  const stop = async (): Promise<'drained' | 'forced'> => {
    draining = true;
    logger.info({ timeoutMs: env.shutdownTimeoutMs }, 'draining');
    composition.drain();
    // A stream ended by the drain leaves its keep-alive connection idle only afterwards, and server.close()
    // closes only the connections idle when it is called: sweep the newly idle ones until it is done,
    // rather than waiting out their keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const abortTimer = new AbortController();
    const outcome = await Promise.race([
      new Promise<'drained'>((resolve) => server.close(() => resolve('drained'))),
      sleep(env.shutdownTimeoutMs, 'forced' as const, { signal: abortTimer.signal }).catch(
        () => 'forced' as const,
      ),
    ]);
    abortTimer.abort();
    clearInterval(sweep);
    if (outcome === 'forced') {
      logger.warn('shutdown timeout reached: closing the remaining connections');
      server.closeAllConnections();
    }
    await composition.close();
    return outcome;
  };
  return {
    port,
    http: server,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
