import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'client',
    // The consumer test starts a server on the run's test database.
    globalSetup: ['../../vitest.global-setup.ts'],
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts'],
      tsconfig: './tsconfig.test.json',
    },
  },
});
