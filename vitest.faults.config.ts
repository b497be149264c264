import { defineConfig } from 'vitest/config';

// Fault tests (pnpm test:faults): the real server process while its database connections are cut and
// while it drains after SIGTERM. One file at a time: cutting the run's database would hit a neighbour.
export default defineConfig({
  test: {
    include: ['apps/server/src/faults/**/*.faults.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 90_000,
  },
});
