// Real-browser tests: vitest runs in Node and drives Chromium (playwright-core) against the
// production build served on a loopback port. Separate from vitest.config.ts because they
// need a build and minutes of SwiftShader time; `npm test` chains both.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/browser/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    // One browser at a time: SwiftShader already uses every core, and timings must not interfere.
    fileParallelism: false,
    pool: 'forks',
  },
});
