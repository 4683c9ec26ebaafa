import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // TF.js keeps global state (backend, name counters); one process per file keeps files independent.
    pool: 'forks',
  },
});
