import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a process ended. */
export interface Exit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it, if any. */
  signal: NodeJS.Signals | null;
}

/** Options of {@link TrackedProcess}. */
export interface TrackedOptions {
  /** Working folder of the process. */
  cwd: string;
  /** A name for failure messages. */
  name: string;
  /** Keep a pipe to the process's stdin (default: stdin is ignored). */
  stdin?: boolean;
  /**
   * Run it in a process group of its own, which signals and {@link killAll} reach whole (a
   * launcher like npx has the real process as its child).
   */
  group?: boolean;
}

const DEFAULT_WAIT_MS = 15_000;
/** How long {@link TrackedProcess.kill} waits for the rest of a killed process group. */
const GROUP_EXIT_WAIT_MS = 5000;
const started = new Set<TrackedProcess>();
const everStarted: TrackedProcess[] = [];

/** One running child process of a test: its output lines, signals and exit. */
export class TrackedProcess {
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

  /** Spawns `command args` and tracks it until {@link killAll}. */
  constructor(command: string, args: readonly string[], options: TrackedOptions) {
    this.name = options.name;
    this.#group = options.group ?? false;
    this.child = spawn(command, args, {
      cwd: options.cwd,
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: this.#group,
    });
    started.add(this);
    everStarted.push(this);
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
    return this.waitFor(() => this.lines.find((line) => pattern.test(line)), `a line matching ${pattern}`, timeoutMs);
  }

  /** Resolves to the lines matching `pattern` once there are `count` of them. */
  waitForLines(pattern: RegExp, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<string[]> {
    const matching = () => this.lines.filter((line) => pattern.test(line));
    return this.waitFor(() => (matching().length >= count ? matching() : undefined), `${count} lines matching ${pattern}`, timeoutMs);
  }

  /** Sends `signal` to the process; in a group of its own, to the whole group, as Ctrl-C in a terminal does. */
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

  protected waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) return settle(() => resolve(found));
        if (this.#ended !== undefined) {
          settle(() => reject(new Error(`${this.name} exited (code ${this.#ended?.code}) before ${what}\n${this.output()}`)));
        }
      };
      const timer = setTimeout(
        () => settle(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.output()}`))),
        timeoutMs,
      );
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

/** SIGKILLs every process started by a test that still runs, and waits until each has exited. */
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
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
