import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How to start one process of a service. */
export interface ProcessSpec {
  /** The service's name in the system (with `#2`… for replicas). */
  readonly name: string;
  /** The service's name in the system (the same for every replica). */
  readonly service: string;
  /** Base URL of its metrics server (`sf run --metrics`), if it serves one. */
  readonly metricsUrl?: string;
  /** Executable and arguments. */
  readonly command: readonly [string, ...string[]];
  /** Working folder. */
  readonly cwd: string;
  /** Start it in its own process group, so a terminal's Ctrl-C (sent to the group of `sf up`) does not reach it. */
  readonly detached?: boolean;
  /** Whether a line of its output says it is ready (`undefined`: ready once started). */
  readonly isReady?: (line: string) => boolean;
}

/** How a process ended. */
export interface Exit {
  /** Exit code, or `null` when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it. */
  readonly signal: NodeJS.Signals | null;
}

/** One running child process of a service: its output as lines, when it is ready, and when it ends. */
export class ServiceProcess {
  /** The child process. */
  readonly child: ChildProcess;
  /** Resolves when the process says it is ready (or at once when the spec has no readiness line). */
  readonly ready: Promise<void>;
  /** Resolves when the process has ended. */
  readonly exited: Promise<Exit>;
  /** Its last line on stderr, or of output that looks like an error: for crash reports. */
  lastError: string | undefined;

  constructor(spec: ProcessSpec, onLine: (line: string) => void) {
    const [file, ...args] = spec.command;
    // Standard input is a pipe nobody writes to: it closes when `sf up` ends, even killed with SIGKILL, and `sf run` then stops.
    this.child = spawn(file, args, {
      cwd: spec.cwd,
      detached: spec.detached === true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', SF_STOP_WITH_STDIN: '1' },
    });
    this.child.stdin!.on('error', () => {});
    let markReady: () => void = () => {};
    this.ready =
      spec.isReady === undefined
        ? Promise.resolve()
        : new Promise((resolve) => {
            markReady = resolve;
          });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (spec.isReady?.(line)) markReady();
        if (stream === this.child.stderr || /\b(ERROR|FATAL)\b/.test(line)) this.lastError = line;
        onLine(line);
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', (error) => {
        this.lastError = error.message;
        resolve({ code: 127, signal: null });
      });
    });
  }

  /** Sends `signal` (SIGINT: the service's graceful stop); after `graceMs`, SIGKILL. Resolves when it has ended. */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}
