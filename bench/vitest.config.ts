import { defineConfig } from 'vitest/config';

// The smoke test starts real `sf run` and raw processes one case after the other: generous timeouts.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 30_000,
  },
});
