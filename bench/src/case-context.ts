/** What a case works with: the run's profile, a scratch folder, and the processes it started. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchProfile } from './profile.js';
import type { BenchProcess } from './processes.js';

/** Addresses of the bench services: each model name → socket name → address. */
export interface AddressSpec {
  /** `connections.in`. */
  in?: Record<string, Record<string, string>>;
  /** `connections.out`. */
  out?: Record<string, Record<string, string>>;
}

/** The scratch space and bookkeeping of one case. */
export class CaseContext {
  /** Counts and waits of this run. */
  readonly profile: BenchProfile;
  /** Scratch folder of the run (removed at its end). */
  readonly dir: string;
  /** Prints a progress line. */
  readonly log: (line: string) => void;
  readonly #started: BenchProcess[] = [];
  #files = 0;

  constructor(profile: BenchProfile, dir: string, log: (line: string) => void) {
    this.profile = profile;
    this.dir = dir;
    this.log = log;
  }

  /** A new, unused path in the scratch folder, named after `stem`. */
  file(stem: string): string {
    this.#files += 1;
    return join(this.dir, `${this.#files}-${stem}`);
  }

  /** Writes `bytes` to a new scratch file and returns its path. */
  async frameFile(stem: string, bytes: Uint8Array): Promise<string> {
    const path = this.file(`${stem}.bin`);
    await writeFile(path, bytes);
    return path;
  }

  /** Writes an addresses file (seed format) and returns its path. */
  async addresses(spec: { connections?: AddressSpec; states?: AddressSpec }): Promise<string> {
    const path = this.file('addresses.json');
    await writeFile(path, JSON.stringify(spec));
    return path;
  }

  /** Tracks `proc` so {@link stopStarted} stops it. */
  track<P extends BenchProcess>(proc: P): P {
    this.#started.push(proc);
    return proc;
  }

  /** Stops every tracked process that still runs (SIGINT, then SIGKILL), and forgets them. */
  async stopStarted(): Promise<void> {
    const procs = this.#started.splice(0);
    await Promise.allSettled(procs.map((proc) => proc.stop()));
  }
}
