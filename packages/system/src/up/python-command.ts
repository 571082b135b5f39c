import { resolve } from 'node:path';
import type { PythonRun, SystemService } from '../system-file/system-types.js';

/** What {@link pythonCommand} fills in: the service's files and name, and the 0.0.3 flags built from them. */
export interface PythonPlaceholders {
  /** Absolute path of the service file. */
  readonly service: string;
  /** Absolute path of its addresses file. */
  readonly addresses: string;
  /** Absolute path of its config file, if any. */
  readonly config?: string;
  /** Its name in the system. */
  readonly name: string;
  /** The 0.0.3 flags: `-s … -a … [-c …] [-m] [--key value]`. */
  readonly flags: readonly string[];
}

/** The `python` entry as an object: `true` is every default, a string the interpreter. */
export function pythonRun(python: SystemService['python']): PythonRun | undefined {
  if (python === undefined || python === false) return undefined;
  if (python === true) return {};
  return typeof python === 'string' ? { interpreter: python } : python;
}

/**
 * How `sf up` starts a Python service: `<interpreter> -m <module>` (default `python3 -m
 * service_framework`) or `<interpreter> <script>`, then `args` with `{service}`, `{addresses}`,
 * `{config}` and `{name}` replaced, or the 0.0.3 flags.
 */
export function pythonCommand(run: PythonRun, dir: string, values: PythonPlaceholders): [string, ...string[]] {
  const start = run.script === undefined ? ['-m', run.module ?? 'service_framework'] : [resolve(dir, run.script)];
  const args =
    run.args?.map((arg) =>
      arg.replace(/\{(service|addresses|config|name)\}/g, (_, key: 'service' | 'addresses' | 'config' | 'name') => values[key] ?? ''),
    ) ?? values.flags;
  return [run.interpreter ?? 'python3', ...start, ...args];
}
