import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRecord } from '../util/describe-value.js';

/** The conditions an `import()` from Node matches in a package's `exports`. */
const CONDITIONS: ReadonlySet<string> = new Set(['import', 'node', 'default']);

/**
 * The file URL `import(name)` loads for the package installed in `dir` whose package.json is
 * `manifest`, for the plain forms of `exports` (a string, or nested condition objects for `.`) and
 * for `main`; undefined for anything else (arrays, patterns, no match), which the caller resolves
 * with a full resolver. Plugin discovery uses it so that loading the plugins needs no resolver
 * library (jiti, which only TypeScript services then load).
 */
export function packageEntry(dir: string, manifest: { exports?: unknown; main?: unknown }): string | undefined {
  const { exports, main } = manifest;
  if (exports === undefined) {
    return typeof main === 'string' && /\.[cm]?js$/.test(main) ? pathToFileURL(join(dir, main)).href : undefined;
  }
  const root = isRecord(exports) && Object.keys(exports).some((key) => key.startsWith('.')) ? exports['.'] : exports;
  const target = pick(root);
  return target?.startsWith('./') ? pathToFileURL(join(dir, target)).href : undefined;
}

/** The target of an export value under Node's `import` conditions: keys in their written order, the first that matches. */
function pick(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  for (const [condition, target] of Object.entries(value)) if (CONDITIONS.has(condition)) return pick(target);
  return undefined;
}
