import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI that the process tests run (`pnpm build` first; nx does it for `test`). */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** What a finished `sf` process left behind. */
export interface CliResult {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

const running = new Set<ChildProcess>();

/** Throws a clear message when dist/bin.js has not been built. */
export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'pnpm build' in packages/cli first`);
}

/** A running `sf` process. */
export interface CliProcess {
  /** The child process, to send it signals. */
  child: ChildProcess;
  /** Resolves when it exits, or rejects after the timeout (and kills it). */
  result: Promise<CliResult>;
  /** Resolves once stdout matches `pattern`; rejects if the process exits first. */
  waitForStdout(pattern: RegExp): Promise<void>;
}

/** Starts `node dist/bin.js ...args` in `cwd`. */
export function startCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const timeoutMs = options.timeoutMs ?? 15_000;
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sf ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${output.stdout}\nstderr: ${output.stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, ...output });
    });
  });
  const waitForStdout = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(output.stdout)) return;
        child.stdout!.off('data', check);
        resolve();
      };
      child.stdout!.on('data', check);
      check();
      result.then(
        (exit) => reject(new Error(`sf exited (${exit.code}) before printing ${pattern}\nstdout: ${exit.stdout}\nstderr: ${exit.stderr}`)),
        reject,
      );
    });
  return { child, result, waitForStdout };
}

/** Runs `node dist/bin.js ...args` in `cwd` and resolves when it exits. */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Kills every CLI process a test left running (call in afterEach). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
