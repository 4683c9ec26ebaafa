import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real-browser tests need a build and Chromium: they run through vitest.browser.config.ts.
    exclude: ['tests/browser/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // TF.js keeps global state (backend, name counters); one process per file keeps files independent.
    pool: 'forks',
  },
});
