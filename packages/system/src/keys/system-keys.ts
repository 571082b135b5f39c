import { join, resolve } from 'node:path';
import { pythonRun } from '../up/python-command.js';
import type { LoadedSystem } from '../system-file/system-types.js';

/** Default folder of a system's key pairs, next to the system file. */
export const DEFAULT_KEYS_DIR = 'keys';

/** The key files of one service: `<keys>/<service>.key` (its key pair, mode 0600) and `<keys>/<service>.pub`. */
export interface ServiceKeyFiles {
  /** The service's name in the system. */
  readonly service: string;
  /** Its key pair file: stays with the service (mode 0600). */
  readonly secretFile: string;
  /** Its public key file: read by its peers. */
  readonly publicFile: string;
}

/** The folder of the system's CurveZMQ key pairs: its `keys` entry (relative to the system file), else `keys/`. */
export function keysDir(system: LoadedSystem): string {
  return resolve(system.dir, system.spec.keys ?? DEFAULT_KEYS_DIR);
}

/** The key files of `service`, whether or not they exist yet. */
export function serviceKeyFiles(system: LoadedSystem, service: string): ServiceKeyFiles {
  const dir = keysDir(system);
  return { service, secretFile: join(dir, `${service}.key`), publicFile: join(dir, `${service}.pub`) };
}

/** Every service that gets a key pair: all but the Python 0.0.3 ones (0.0.3 has no CurveZMQ). */
export function keyedServices(system: LoadedSystem): ServiceKeyFiles[] {
  return Object.entries(system.spec.services)
    .filter(([, spec]) => pythonRun(spec.python) === undefined)
    .map(([name]) => serviceKeyFiles(system, name));
}
