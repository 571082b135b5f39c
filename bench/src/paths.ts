/** Where the harness finds what it runs. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench package folder. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const REPO_ROOT = join(BENCH_DIR, '..');
/** The built `sf` command. */
export const SF_BIN = join(REPO_ROOT, 'packages/cli/dist/bin.js');
/** The framework-side service fixtures (`sf run` discovers the plugins through bench/package.json). */
export const SERVICES_DIR = join(BENCH_DIR, 'services');
/** The raw zeromq.js counterparts. */
export const RAW_DIR = join(BENCH_DIR, 'raw');
/** The committed results table. */
export const BENCHMARKS_MD = join(REPO_ROOT, 'BENCHMARKS.md');
/** The gitignored folder of JSON results. */
export const RESULTS_DIR = join(REPO_ROOT, 'bench-results');
