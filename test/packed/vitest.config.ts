import { defineConfig } from 'vitest/config';

// npm installs from the registry (and may compile a native module): minutes, not seconds.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
