import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The built `sf` command. */
export const SF_BIN = join(REPO_ROOT, 'packages/cli/dist/bin.js');
/** The folder of the e2e service fixtures (discovery finds the plugins through test/e2e/package.json). */
export const FIXTURES = join(REPO_ROOT, 'test/e2e/fixtures');

/** How a process ended. */
export interface Exit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it, if any. */
  signal: NodeJS.Signals | null;
}

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

const DEFAULT_WAIT_MS = 15_000;
/** How long {@link SfProcess.kill} waits for the rest of a killed process group. */
const GROUP_EXIT_WAIT_MS = 5000;
const started = new Set<SfProcess>();
const everStarted: SfProcess[] = [];

/** One running `sf run …` process: its output lines, signals and exit. */
export class SfProcess {
  /** The child process. */
  readonly child: ChildProcess;
  /** A name for failure messages. */
  readonly name: string;
  /** Every output line so far, stdout and stderr interleaved in arrival order. */
  readonly lines: string[] = [];
  /** Lines written to stdout. */
  readonly stdout: string[] = [];
  /** Lines written to stderr. */
  readonly stderr: string[] = [];
  /** Resolves once the process has exited and its output is fully read. */
  readonly exit: Promise<Exit>;
  #ended: Exit | undefined;
  readonly #group: boolean;
  readonly #listeners = new Set<() => void>();

  constructor(args: readonly string[], options: StartSfOptions = {}) {
    const service = args[args.indexOf('-s') + 1];
    this.name = options.name ?? service ?? 'sf';
    const [file = process.execPath, ...before] = options.command ?? [process.execPath, SF_BIN];
    this.#group = options.command !== undefined;
    this.child = spawn(file, [...before, 'run', ...args], {
      cwd: options.cwd ?? FIXTURES,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.#group,
    });
    this.#collect(this.child.stdout!, this.stdout);
    this.#collect(this.child.stderr!, this.stderr);
    this.exit = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.#ended = { code, signal };
        this.#notify();
        resolve(this.#ended);
      });
    });
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.#ended === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves to the first line (already written or to come) matching `pattern`; rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    return this.#waitFor(() => this.lines.find((line) => pattern.test(line)), `a line matching ${pattern}`, timeoutMs);
  }

  /** Resolves to the lines matching `pattern` once there are `count` of them. */
  waitForLines(pattern: RegExp, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<string[]> {
    const matching = () => this.lines.filter((line) => pattern.test(line));
    return this.#waitFor(() => (matching().length >= count ? matching() : undefined), `${count} lines matching ${pattern}`, timeoutMs);
  }

  /** Waits for the runner's `ready` line (service mode: every in connection is serving). */
  ready(timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    return this.waitForLine(/\] ready\b/, timeoutMs);
  }

  /** Sends `signal` to the process; with a `command`, to its whole process group, as Ctrl-C in a terminal does. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (this.#group && pid !== undefined) process.kill(-pid, signal);
    else this.child.kill(signal);
  }

  /** Resolves to the exit code; rejects if the process is still running after `timeoutMs`. */
  async exitCode(timeoutMs = DEFAULT_WAIT_MS): Promise<number | null> {
    const timer = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.output()}`)), timeoutMs).unref();
    });
    return (await Promise.race([this.exit, timer])).code;
  }

  /** Sends `signal` and resolves to the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGINT', timeoutMs = DEFAULT_WAIT_MS): Promise<number | null> {
    this.signal(signal);
    return this.exitCode(timeoutMs);
  }

  /** SIGKILLs the process (and its process group, when it has one of its own); resolves once all of it is gone. */
  async kill(): Promise<void> {
    const pid = this.child.pid;
    if (this.#group && pid !== undefined && isAlive(-pid)) process.kill(-pid, 'SIGKILL');
    else if (this.running) this.child.kill('SIGKILL');
    await this.exit;
    // The group's other processes (a launcher's children) end a moment after the one we started.
    for (let waited = 0; this.#group && pid !== undefined && isAlive(-pid) && waited < GROUP_EXIT_WAIT_MS; waited += 20) await sleep(20);
  }

  /** True while the process, or any process of its own group, still runs. */
  get alive(): boolean {
    const pid = this.child.pid;
    return this.running || (pid !== undefined && (isAlive(pid) || (this.#group && isAlive(-pid))));
  }

  /** Everything the process wrote, for failure messages. */
  output(): string {
    return `--- ${this.name} output ---\n${this.lines.join('\n')}\n--- end ---`;
  }

  #collect(stream: NodeJS.ReadableStream, into: string[]): void {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) this.#add(line, into);
    });
    stream.on('end', () => {
      if (pending !== '') this.#add(pending, into);
      pending = '';
    });
  }

  #add(line: string, into: string[]): void {
    into.push(line);
    this.lines.push(line);
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) return settle(() => resolve(found));
        if (this.#ended !== undefined) {
          settle(() => reject(new Error(`${this.name} exited (code ${this.#ended?.code}) before ${what}\n${this.output()}`)));
        }
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.output()}`))), timeoutMs);
      const settle = (done: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        done();
      };
      this.#listeners.add(check);
      check();
    });
  }
}

/** Spawns `node packages/cli/dist/bin.js run <args>` and tracks it until {@link killAll}. */
export function startSf(args: readonly string[], options: StartSfOptions = {}): SfProcess {
  const proc = new SfProcess(args, options);
  started.add(proc);
  everStarted.push(proc);
  return proc;
}

/** SIGKILLs every process started by {@link startSf} that still runs, and waits until each has exited. */
export async function killAll(): Promise<void> {
  const procs = [...started];
  started.clear();
  await Promise.all(procs.map((proc) => proc.kill()));
}

/** Pids of every process started here that still runs (should be none after {@link killAll}). */
export function alivePids(): number[] {
  return everStarted.filter((proc) => proc.alive).map((proc) => proc.child.pid ?? -1);
}

/** Whether process `pid` (or, negative, any process of group `-pid`) exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
