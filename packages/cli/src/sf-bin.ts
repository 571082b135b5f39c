import { fileURLToPath } from 'node:url';

/**
 * The `sf` executable (`dist/bin.js`), which `sf up` starts each service with. This file and the
 * bundles sit one level below the package root.
 */
export const SF_BIN: string = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
