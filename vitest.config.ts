import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e tests spawn the built binary; two cores on CI machines
    pool: 'forks',
    maxWorkers: 2,
    // CI also keeps a machine-readable result, from which .ci/run prints a plain "N passed, N failed" line
    reporters: process.env['CI'] ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
  },
});
