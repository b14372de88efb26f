import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    reporters: ['default', './test/plain-summary-reporter.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Two cores: one test file per core; statistical tests are CPU-bound.
    pool: 'forks',
    maxWorkers: 2,
  },
});
