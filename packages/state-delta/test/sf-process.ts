// Test helper: `sf run` child processes on loopback, their output, and cleanup.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The built `sf` command. */
export const SF_BIN = join(here, '../../cli/dist/bin.js');

/** The fixture services; discovery finds `@sf/state-delta` through their package.json. */
export const FIXTURES = join(here, 'fixtures');

const running = new Set<SfProcess>();

/** One `sf run …` process. */
export class SfProcess {
  /** Output lines so far (stdout and stderr). */
  readonly lines: string[] = [];
  /** Resolves to the exit code (null when a signal ended it). */
  readonly exit: Promise<number | null>;
  readonly #child: ChildProcess;

  constructor(
    readonly name: string,
    args: readonly string[],
  ) {
    this.#child = spawn(process.execPath, [SF_BIN, 'run', ...args], { cwd: FIXTURES, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.#child.stdout!, this.#child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop()!;
        this.lines.push(...parts);
      });
    }
    this.exit = new Promise((resolve) => this.#child.on('close', (code) => resolve(code)));
    running.add(this);
    void this.exit.then(() => running.delete(this));
  }

  /** Sends `signal`; after `graceMs` without exiting, SIGKILL. Resolves to the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<number | null> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill(signal);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once a line matches `pattern`; rejects after `timeoutMs` or if the process exits first. */
  async waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    await waitFor(() => this.lines.some((line) => pattern.test(line)), `${this.name}: a line matching ${pattern}`, timeoutMs, this);
  }

  /** Everything it wrote, for failure messages. */
  output(): string {
    return `--- ${this.name} ---\n${this.lines.join('\n')}`;
  }
}

/** Stops every process still running (SIGKILL) and waits for them. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((process) => process.stop('SIGKILL', 1000)));
}

/** Polls `check` every 25 ms until it holds; rejects after `timeoutMs` (or once `process` exited). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  process?: SfProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void process?.exit.then(() => {
    exited = true;
  });
  for (;;) {
    if (await check()) return;
    if (exited) throw new Error(`${what}: the process exited first\n${process!.output()}`);
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${process ? `\n${process.output()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A temporary folder, removed by {@link removeTempDirs}. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sf-state-delta-'));
  dirs.push(dir);
  return dir;
}

const dirs: string[] = [];

/** Removes every folder made by {@link tempDir}. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes `value` as JSON to `dir/name` and returns the path. */
export async function writeJson(dir: string, name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(value));
  return path;
}

/** The JSON in `path`, or undefined while it does not exist. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
