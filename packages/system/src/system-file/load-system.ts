import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { type Addresses, checkAddresses, emptyAddresses, readJsonFile, SystemError } from '@sf/core';
import { Ajv } from 'ajv';
import { SYSTEM_SCHEMA } from './schema.js';
import { checkHosts } from './hosts-check.js';
import { checkRunFlags } from './run-flags-check.js';
import { schemaError } from './schema-errors.js';
import type { LoadedSystem, RestartPolicy, SystemFile } from './system-types.js';

/** The default name of a system file. */
export const SYSTEM_FILE_NAME = 'sf.system.json';

/** Restart policy defaults of `sf up`. */
export const DEFAULT_RESTART: RestartPolicy = { backoff_ms: 500, max_backoff_ms: 10_000, max_restarts: 5 };

// Compiled once per sf check/up; without ajv's code optimisation passes, which took a third of that
// compile and buy nothing for one small file read once.
const validate = new Ajv({ allErrors: true, verbose: true, strict: false, code: { optimize: false } }).compile<SystemFile>(SYSTEM_SCHEMA);

/**
 * Reads a system file (a path to the file, or to its folder: `sf.system.json` in it), checks it
 * against the schema and reads its explicit addresses. Throws SystemError (`SF_SYSTEM_INVALID`)
 * with the path inside the file and a fix, or ConfigError for a missing or malformed file.
 */
export async function loadSystem(path: string = SYSTEM_FILE_NAME, cwd: string = process.cwd()): Promise<LoadedSystem> {
  const file = await systemFilePath(resolve(cwd, path));
  const spec = await readJsonFile(file, 'system file');
  if (!validate(spec)) throw schemaError(validate.errors ?? [], file);
  checkReadyPatterns(spec, file);
  checkRunFlags(spec, file);
  checkHosts(spec, file);
  const dir = dirname(file);
  return {
    file,
    dir,
    name: spec.name ?? basename(dir),
    spec,
    addresses: await explicitAddresses(spec.addresses, dir),
    restart: { ...DEFAULT_RESTART, ...spec.restart },
  };
}

/** A Python service's `ready` is a regular expression: one that does not compile is named here, not when `sf up` starts it. */
function checkReadyPatterns(spec: SystemFile, file: string): void {
  for (const [name, service] of Object.entries(spec.services)) {
    const ready = typeof service.python === 'object' ? service.python.ready : undefined;
    if (ready === undefined) continue;
    try {
      new RegExp(ready);
    } catch (error) {
      throw new SystemError(`services.${name}.python.ready is not a regular expression: ${(error as Error).message}`, {
        file,
        hint:
          'Write a JavaScript regular expression (without slashes) that a line of its output matches once it serves, ' +
          'e.g. "\\bready\\b"',
      });
    }
  }
}

async function systemFilePath(path: string): Promise<string> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isDirectory() ? resolve(path, SYSTEM_FILE_NAME) : path;
}

/** The `addresses` entry, every section present: inline (checked by the schema) or a seed addresses file. */
async function explicitAddresses(given: SystemFile['addresses'], dir: string): Promise<Addresses> {
  if (typeof given === 'string')
    return checkAddresses(await readJsonFile(given, 'addresses file', dir), 'The addresses file', { file: resolve(dir, given) });
  return checkAddresses(given ?? emptyAddresses(), 'The addresses of the system file');
}
