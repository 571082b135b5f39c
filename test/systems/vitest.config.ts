import { defineConfig } from 'vitest/config';

// Each test starts real `sf run` processes: generous timeouts, and one file at a time on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
});
