import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { loadServiceModule, SystemError } from '@sf/core';
import { SYSTEM_SCHEMA_FILE } from './schema.js';
import type { SystemFile, SystemService } from './system-types.js';

/** What {@link initSystem} builds a system file from. */
export interface InitOptions {
  /** Where the system file will be written. */
  file: string;
  /** The service files. */
  services: readonly string[];
  /** A seed-style addresses file whose addresses the system keeps. */
  addresses?: string;
  /** Folder the paths are relative to. */
  cwd: string;
  /** Host name → address: a system across these hosts, services placed on them round-robin, ports from {@link INIT_PORT_BASE}. */
  hosts?: Readonly<Record<string, string>>;
}

/** The `ports.base` of a system file `sf init` writes across hosts. */
export const INIT_PORT_BASE = 7000;

/**
 * A system file for existing services: each named after its file, in main mode when it exports
 * `main` and has no `in` connections or states; with a seed addresses file, its addresses are
 * kept (referenced, so both stay one source), otherwise they are derived. With `hosts`, the
 * services are placed on them in turn (the first service on the first host, …) and ports are
 * numbered from {@link INIT_PORT_BASE}, so every host derives the same addresses.
 */
export async function initSystem(options: InitOptions): Promise<SystemFile> {
  const dir = dirname(resolve(options.cwd, options.file));
  const services: Record<string, SystemService> = {};
  for (const path of options.services) {
    const { file, exports } = await loadServiceModule(path, options.cwd);
    const name = basename(file, extname(file)).replace(/[^\w-]/g, '-');
    if (Object.hasOwn(services, name))
      throw new SystemError(`Two service files are both named '${name}'`, {
        file,
        hint: 'Rename one of them, or edit the names in the system file',
      });
    const inbound = [exports.connection_models, exports.state_models].some(
      (models) => Object.keys((models as { in?: object } | undefined)?.in ?? {}).length > 0,
    );
    services[name] = { service: relative(dir, file), ...(typeof exports.main === 'function' && !inbound && { main: true }) };
  }
  const hosts = Object.entries(options.hosts ?? {});
  Object.values(services).forEach((service, index) => {
    if (hosts.length > 0) service.host = hosts[index % hosts.length]![0];
  });
  return {
    $schema: schemaReference(dir),
    name: basename(dir),
    ...(hosts.length > 0 && {
      hosts: Object.fromEntries(hosts.map(([name, address]) => [name, { address }])),
      ports: { base: INIT_PORT_BASE },
    }),
    services,
    ...(options.addresses !== undefined && { addresses: relative(dir, resolve(options.cwd, options.addresses)) }),
  };
}

/** The schema for editors: `@sf/system` in the folder's own node_modules, else the one this code runs from. */
function schemaReference(dir: string): string {
  const local = join('node_modules', '@sf', 'system', 'sf.system.schema.json');
  return existsSync(join(dir, local)) ? `./${local}` : relative(dir, SYSTEM_SCHEMA_FILE);
}
