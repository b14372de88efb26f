import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // What a user's `import … from 'qmisid-bench'` resolves to, for the example files under docs/examples.
  resolve: { alias: { 'qmisid-bench': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    // docs/examples: the documented user test files run here exactly as written.
    include: ['test/**/*.test.ts', 'docs/examples/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    reporters: ['default', './test/plain-summary-reporter.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Two cores: one test file per core; statistical tests are CPU-bound.
    pool: 'forks',
    maxWorkers: 2,
  },
});
