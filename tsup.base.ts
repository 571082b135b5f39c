import type { Options } from 'tsup';

/**
 * The tsup config every published package builds with: ESM for Node 20, source maps, and a
 * `.d.ts` per entry (or only for the `dts` entries, e.g. not for a CLI's bin). A package's
 * `tsup.config.ts` is one call: `export default packageTsup(['src/index.ts'])`.
 */
export function packageTsup(entries: string[], options: { dts?: string[] } = {}): Options {
  return {
    entry: entries,
    format: ['esm'],
    target: 'node20',
    // tsup 8.5's .d.ts build needs this with TypeScript 6.
    dts: { ...(options.dts && { entry: options.dts }), compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
  };
}
