import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The run's PostgreSQL database (the server under test uses it), then a fresh build of the console.
    globalSetup: ['../../vitest.global-setup.ts', './test/build-console.ts'],
    // One browser and one server for a whole journey: its steps build on each other.
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
