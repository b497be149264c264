import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseUrl } from '@tickets/db/testing';
import { loadEnv } from '../env';
import { composeInstance, type Instance } from '../instance';
import { createLogger } from '../logger';
import { listenOnFreePort } from './listen';

export interface ComposedInstance {
  url: string;
  db: Instance['db'];
  stop(): Promise<void>;
}

/**
 * A server instance built by the production composition root (session cache, LISTEN connection, workers,
 * limits) from environment variables, on the run's test database unless they say otherwise, listening on
 * a free port: what one process of a multi-instance deployment is. SERVER_ROLE picks what it runs, as
 * it does for the process.
 */
export async function startComposedInstance(
  variables: Record<string, string> = {},
): Promise<ComposedInstance> {
  const storageDir = await mkdtemp(join(tmpdir(), 'tickets-instance-'));
  const env = loadEnv({ DATABASE_URL: testDatabaseUrl(), PORT: '0', STORAGE_DIR: storageDir, ...variables });
  const instance = await composeInstance(env, createLogger('silent'));
  const listening = await listenOnFreePort(instance);
  return {
    url: listening.url,
    db: instance.db,
    async stop() {
      instance.drain();
      await listening.close();
      await instance.close();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
