import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, type StartOptions, startService } from './start-service.js';
import { type MemoryPlugin, memoryPlugin } from './memory-plugin.fixture.js';

/** Functions a test service file calls back into, looked up at call time by name. */
export type Hooks = Record<string, (...args: any[]) => unknown>;

const HOOKS_KEY = '__sfRunnerTestHooks';

/** The hooks object service files call; tests set its members before a call is due. */
export function hooks(): Hooks {
  const global = globalThis as unknown as Record<string, Hooks>;
  global[HOOKS_KEY] ??= {};
  return global[HOOKS_KEY];
}

/** JavaScript source of a function that forwards its arguments to `hooks()[name]`. */
export function hook(name: string): string {
  return `(...args) => globalThis.${HOOKS_KEY}[${JSON.stringify(name)}](...args)`;
}

/** A temp folder of service files (name → source) for the tests of one file. */
export interface ServiceFolder {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** Starts a service of the folder with the memory plugin (a fresh one by default), quiet logs and no signal handlers. */
  start(file: string, options?: Partial<StartOptions>, memory?: MemoryPlugin): Promise<{ running: RunningService; memory: MemoryPlugin }>;
  /** Deletes the folder. */
  remove(): Promise<void>;
}

/** Writes `files` into a new temp folder. */
export async function serviceFolder(files: Record<string, string>): Promise<ServiceFolder> {
  const dir = await mkdtemp(join(tmpdir(), 'sf-runner-'));
  for (const [name, source] of Object.entries(files)) await writeFile(join(dir, name), source);
  return {
    dir,
    async start(file, options = {}, memory = memoryPlugin()) {
      const running = await startService({
        service: file,
        cwd: dir,
        plugins: [memory.plugin],
        discover: false,
        handleSignals: false,
        logging: { consoleLevel: 'fatal' },
        ...options,
      });
      return { running, memory };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
