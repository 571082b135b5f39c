import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The built `sf` command. */
export const SF_BIN = join(HERE, '../../cli/dist/bin.js');
/** The fixture services; discovery finds the plugins through their own package.json. */
export const FIXTURES = join(HERE, 'fixtures');

const running = new Set<SfProcess>();

/** One `sf run …` process and the lines it wrote (stdout and stderr, in arrival order). */
export class SfProcess {
  /** The child process. */
  readonly child: ChildProcess;
  /** Every output line so far. */
  readonly lines: string[] = [];
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exit: Promise<number | null>;
  readonly #name: string;

  constructor(name: string, args: readonly string[]) {
    if (!existsSync(SF_BIN)) throw new Error(`${SF_BIN} is missing: build @sf/cli first (nx runs ^build before this package's tests)`);
    this.#name = name;
    this.child = spawn(process.execPath, [SF_BIN, 'run', ...args], { cwd: FIXTURES, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        this.lines.push(...parts);
      });
    }
    this.exit = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    running.add(this);
    void this.exit.then(() => running.delete(this));
  }

  /** Resolves to the first line matching `pattern`; rejects after `timeoutMs` or if the process exits first. */
  async waitForLine(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((candidate) => pattern.test(candidate));
      if (line !== undefined) return line;
      if (this.child.exitCode !== null || this.child.signalCode !== null || Date.now() > deadline) {
        throw new Error(`${this.#name}: no line matching ${pattern}\n${this.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Waits for the runner's `ready` line: every endpoint is open. */
  ready(): Promise<string> {
    return this.waitForLine(/\] ready\b/);
  }

  /** Sends `signal` and resolves to the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.child.kill(signal);
    return this.exit;
  }

  /** Everything the process wrote, for failure messages. */
  output(): string {
    return `--- ${this.#name} ---\n${this.lines.join('\n')}\n--- end ---`;
  }
}

/** Starts `sf run -s <service> -a <addresses file>`. */
export function startService(service: string, addressesFile: string): SfProcess {
  return new SfProcess(service, ['-s', service, '-a', addressesFile]);
}

/** Kills every process still running (SIGKILL) and waits for them to exit. */
export async function killAll(): Promise<void> {
  const left = [...running];
  for (const process of left) process.child.kill('SIGKILL');
  await Promise.all(left.map((process) => process.exit));
}

/** A temporary folder for addresses files, removed by `remove()`. */
export class TempFolder {
  #dir: string | undefined;

  /** Writes `value` as JSON to `name` in the folder and returns its path. */
  async json(name: string, value: unknown): Promise<string> {
    this.#dir ??= await mkdtemp(join(tmpdir(), 'sf-state-full-'));
    const path = join(this.#dir, name);
    await writeFile(path, JSON.stringify(value));
    return path;
  }

  /** Removes the folder. */
  async remove(): Promise<void> {
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }
}
