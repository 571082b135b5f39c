/** The processes of a benchmark: `sf run` services and raw scripts, each started and stopped cleanly. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { RAW_DIR, SERVICES_DIR, SF_BIN } from './paths.js';

/** How a process ended. */
export interface Exit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it, if any. */
  signal: NodeJS.Signals | null;
}

const live = new Set<BenchProcess>();
process.on('exit', () => {
  for (const proc of live) proc.child.kill('SIGKILL');
});

/** One child process, its output lines and its exit. */
export class BenchProcess {
  /** The child process. */
  readonly child: ChildProcess;
  /** A name for messages. */
  readonly name: string;
  /** When it was spawned (`performance.now()`). */
  readonly spawnedAt: number;
  /** Output lines so far, stdout and stderr interleaved. */
  readonly lines: string[] = [];
  /** Resolves once it has exited. */
  readonly exit: Promise<Exit>;
  #exited: Exit | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(name: string, args: readonly string[], cwd: string) {
    this.name = name;
    this.spawnedAt = performance.now();
    this.child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this);
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (pending + chunk).split('\n');
        pending = parts.pop() ?? '';
        for (const line of parts) this.#line(line);
      });
    }
    this.exit = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        live.delete(this);
        this.#exited = { code, signal };
        for (const wake of this.#waiters) wake();
        resolve(this.#exited);
      });
    });
  }

  /** True until it has exited. */
  get running(): boolean {
    return this.#exited === undefined;
  }

  /**
   * Resolves to the time (`performance.now()`) `count` lines matching `pattern` had been seen (one by
   * default); rejects on timeout or exit.
   */
  waitForLine(pattern: RegExp, timeoutMs: number, count = 1): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.lines.filter((line) => pattern.test(line)).length >= count) return done(() => resolve(performance.now()));
        if (!this.running) return done(() => reject(new Error(`${this.name} exited before printing ${pattern}\n${this.output()}`)));
        return false;
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`${this.name} printed no ${pattern} within ${timeoutMs} ms\n${this.output()}`))),
        timeoutMs,
      );
      const done = (settle: () => void): true => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        settle();
        return true;
      };
      const wake = (): void => void check();
      if (!check()) this.#waiters.add(wake);
    });
  }

  /** Resolves to the exit; after `timeoutMs` kills it (SIGKILL) and rejects. */
  async exited(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.output()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exit, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends SIGINT (the way a user stops a service) and waits for the exit, killing it after `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<Exit> {
    if (this.running) this.child.kill('SIGINT');
    return this.exited(timeoutMs);
  }

  /** The output so far, for error messages. */
  output(): string {
    return `--- ${this.name} ---\n${this.lines.slice(-20).join('\n')}\n---`;
  }

  #line(line: string): void {
    this.lines.push(line);
    for (const wake of this.#waiters) wake();
  }
}

/** Starts `sf run -s services/<service> …args` (`-m` is the caller's to add). */
export function sfRun(service: string, args: readonly string[]): BenchProcess {
  return new BenchProcess(service, [SF_BIN, 'run', '-s', join(SERVICES_DIR, service), ...args], SERVICES_DIR);
}

/** Starts `sf up <system file>` from the services folder. */
export function sfUp(systemFile: string): BenchProcess {
  return new BenchProcess('sf up', [SF_BIN, 'up', systemFile], SERVICES_DIR);
}

/** Starts `node raw/<script> --key value…`. */
export function rawRun(script: string, args: Record<string, string | number>): BenchProcess {
  const pairs = Object.entries(args).flatMap(([key, value]) => [`--${key}`, String(value)]);
  return new BenchProcess(script, [join(RAW_DIR, script), ...pairs], RAW_DIR);
}

/** Pattern of the "ready" line of a serving `sf run` process or of a raw server. */
export const READY = /\] ready\b|^raw \w+ ready$/;

/** How many started processes have not exited yet. */
export function liveProcesses(): number {
  return live.size;
}

/** Stops every process still running (SIGINT, then SIGKILL after `timeoutMs`). */
export async function stopAll(timeoutMs = 10_000): Promise<void> {
  await Promise.allSettled([...live].map((proc) => proc.stop(timeoutMs)));
}
