import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseUrl } from '@tickets/db/testing';
import { createApp } from '../app';
import { createServices } from '../compose';
import { loadEnv } from '../env';
import { createLogger } from '../logger';
import { listenOnFreePort } from './listen';

export interface ComposedInstance {
  url: string;
  db: Awaited<ReturnType<typeof createServices>>['services']['db'];
  stop(): Promise<void>;
}

/**
 * A server instance built by the production composition root (session cache, LISTEN connection, workers,
 * limits) from environment variables, on the run's test database unless they say otherwise, listening on
 * a free port: what one process of a multi-instance deployment is.
 */
export async function startComposedInstance(
  variables: Record<string, string> = {},
): Promise<ComposedInstance> {
  const storageDir = await mkdtemp(join(tmpdir(), 'tickets-instance-'));
  const env = loadEnv({ DATABASE_URL: testDatabaseUrl(), PORT: '0', STORAGE_DIR: storageDir, ...variables });
  const composition = await createServices(env, createLogger('silent'));
  const listening = await listenOnFreePort(createApp({ services: composition.services }));
  return {
    url: listening.url,
    db: composition.services.db,
    async stop() {
      composition.drain();
      await listening.close();
      await composition.close();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
