import { defineConfig } from 'vitest/config';

// Spelled out, not the repository's shared base: this stands for a third-party package built on its own.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
  },
});
