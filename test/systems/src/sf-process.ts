import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './run-sf.js';

/** A running `sf` process whose output lines are collected. */
export interface SfProcess {
  /** The child process. */
  readonly child: ChildProcess;
  /** Every line so far, stdout and stderr. */
  readonly lines: string[];
  /** Resolves with the first line from line `from` on (past or future) that matches; rejects if the process ends first. */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpMatchArray>;
  /** Resolves to the exit code when the process ends. */
  readonly exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node <bin> <argv>` from `cwd`; `bin` is the repository's `sf` unless another is given.
 * `detached`: as a terminal starts a command, leading its own process group (its pid is the group id).
 */
export function spawnSf(
  argv: string[],
  cwd: string = ROOT,
  bin: string = join(ROOT, 'packages/cli/dist/bin.js'),
  options: { detached?: boolean } = {},
): SfProcess {
  const child = spawn(process.execPath, [bin, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached === true });
  running.add(child);
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void }>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const waiter of waiters) {
        const match = line.match(waiter.pattern);
        if (match) {
          waiters.delete(waiter);
          waiter.resolve(match);
        }
      }
    });
  }
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const waitFor = (pattern: RegExp, from = 0) => {
    const seen = lines
      .slice(from)
      .map((line) => line.match(pattern))
      .find(Boolean);
    if (seen) return Promise.resolve(seen);
    return new Promise<RegExpMatchArray>((resolve, reject) => {
      waiters.add({ pattern, resolve });
      exited.then(() => reject(new Error(`sf exited before a line matched ${pattern}; its output:\n${lines.join('\n')}`)));
    });
  };
  return { child, lines, waitFor, exited };
}

/**
 * Stops every `sf` process still running with SIGINT (so `sf up` stops its services too) and waits
 * for each: run it after each test, so a failed test leaves nothing behind.
 */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGINT');
        }),
    ),
  );
}

/** Whether a process with this pid exists (one copy, in `@sf/e2e`). */
export { isAlive } from '@sf/e2e';
