/**
 * Runs `work` with NODE_ENV=production. Vitest sets NODE_ENV=test, and Vite respects a NODE_ENV it
 * finds: a build made inside a test run would otherwise be React's development build, half again as
 * large as what the server ships.
 */
export async function withProductionNodeEnv<T>(work: () => Promise<T>): Promise<T> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return await work();
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
