import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { LogLevelName, PythonRun, SystemService } from '../system-file/system-types.js';

/** What {@link pythonCommand} fills in: the service's files and name, and the 0.0.3 flags built from them. */
export interface PythonPlaceholders {
  /** The service file as 0.0.3 wants its `-s`: `./<file>`, relative to its folder (the working folder). */
  readonly service: string;
  /** Absolute path of its addresses file (0.0.3 opens it as given). */
  readonly addresses: string;
  /** Absolute path of its config file, if any (0.0.3 joins it to the working folder, which keeps an absolute path). */
  readonly config?: string;
  /** Its name in the system. */
  readonly name: string;
  /** The 0.0.3 flags: `-s ./<file> -a … [-c …] [-m] [-cl LEVEL] [--key value]`. */
  readonly flags: readonly string[];
}

/** Python's logging names of our levels (0.0.3 hands `-cl` to logging.setLevel, which knows only these). */
const PYTHON_LEVELS: Readonly<Record<LogLevelName, string>> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** The level name 0.0.3's `-cl` accepts for one of ours. */
export function pythonLevel(level: LogLevelName): string {
  return PYTHON_LEVELS[level];
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
 * `{config}` and `{name}` replaced, or the 0.0.3 flags. It runs in the service file's folder, so
 * an interpreter or script path (`.venv/bin/python`) is made absolute from the system file's folder `dir`.
 */
export function pythonCommand(run: PythonRun, dir: string, values: PythonPlaceholders): [string, ...string[]] {
  const start = run.script === undefined ? ['-m', run.module ?? 'service_framework'] : [resolve(dir, run.script)];
  const args =
    run.args?.map((arg) =>
      arg.replace(/\{(service|addresses|config|name)\}/g, (_, key: 'service' | 'addresses' | 'config' | 'name') => values[key] ?? ''),
    ) ?? values.flags;
  const interpreter = run.interpreter ?? 'python3';
  return [interpreter.includes('/') && !isAbsolute(interpreter) ? resolve(dir, interpreter) : interpreter, ...start, ...args];
}

/** util-linux's setpriv, where there is one: it gives a child a parent-death signal. */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/**
 * A Python service in its own process group must still end with `sf up`, even killed with
 * SIGKILL: 0.0.3 does not watch its standard input as `sf run` does, so it gets a parent-death
 * SIGTERM through setpriv. Undefined where there is no setpriv (the child then stays in the
 * group of `sf up`, and a terminal's Ctrl-C reaches it directly).
 */
export function withParentDeathSignal(command: readonly [string, ...string[]]): [string, ...string[]] | undefined {
  return SETPRIV === undefined ? undefined : [SETPRIV, '--pdeathsig', 'SIGTERM', '--', ...command];
}
