import type { ViteUserConfig } from 'vitest/config';

/** Test files of a package: unit tests next to code (`src/`) and wider ones under `test/`. */
const TESTS = ['src/**/*.test.ts', 'test/**/*.test.ts'];

/** Type tests (`expectTypeOf`), checked by tsc. */
const TYPE_TESTS = ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'];

/**
 * The vitest config of a package: runs `TESTS`, and with `typecheck` (the default) also checks
 * `TYPE_TESTS`. A package's `vitest.config.ts` is one call: `export default packageVitest()`.
 */
export function packageVitest(options: { typecheck?: boolean } = {}): ViteUserConfig {
  const typecheck = options.typecheck ?? true;
  // Many tests start processes and real sockets; on a loaded 2-core machine 5 s is too tight.
  return {
    test: {
      include: TESTS,
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...(typecheck && { typecheck: { enabled: true, include: TYPE_TESTS } }),
    },
  };
}
