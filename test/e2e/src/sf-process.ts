import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrackedProcess } from './tracked-process.js';

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The built `sf` command. */
export const SF_BIN = join(REPO_ROOT, 'packages/cli/dist/bin.js');
/** The folder of the e2e service fixtures (discovery finds the plugins through test/e2e/package.json). */
export const FIXTURES = join(REPO_ROOT, 'test/e2e/fixtures');

/** Options of {@link startSf}. */
export interface StartSfOptions {
  /** Working folder of the process (default: the fixtures folder). */
  cwd?: string;
  /** A name for failure messages (default: the `-s` argument). */
  name?: string;
  /**
   * The command that `run …` follows, e.g. `['npx', 'sf']` in an installed project (default: Node
   * and the repository's built `sf`). It then runs in a process group of its own, which
   * {@link killAll} ends whole (a launcher like npx has the service as its child).
   */
  command?: readonly string[];
}

/** One running `sf run …` process: its output lines, signals and exit. */
export class SfProcess extends TrackedProcess {
  constructor(args: readonly string[], options: StartSfOptions = {}) {
    const service = args[args.indexOf('-s') + 1];
    const [file = process.execPath, ...before] = options.command ?? [process.execPath, SF_BIN];
    super(file, [...before, 'run', ...args], {
      cwd: options.cwd ?? FIXTURES,
      name: options.name ?? service ?? 'sf',
      group: options.command !== undefined,
    });
  }

  /** Waits for the runner's `ready` line (service mode: every in connection is serving). */
  ready(timeoutMs?: number): Promise<string> {
    return this.waitForLine(/\] ready\b/, timeoutMs);
  }
}

/** Spawns `node packages/cli/dist/bin.js run <args>` and tracks it until {@link killAll}. */
export function startSf(args: readonly string[], options: StartSfOptions = {}): SfProcess {
  return new SfProcess(args, options);
}
