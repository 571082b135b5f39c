import { defineConfig } from 'tsup';

// Spelled out, not the repository's shared base: this stands for a third-party package built on its own.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
});
