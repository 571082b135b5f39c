import { basename, dirname, extname, resolve } from 'node:path';
import { type Addresses, loadAddresses } from '../config/load-addresses.js';
import { type Config, loadConfig } from '../config/load-config.js';
import { checkCreationNames, loadCreationFile, mergeCreation } from '../config/load-creation.js';
import { ModelError, ServiceStateError, SfError } from '../errors.js';
import { checkConfig } from '../models/check-config.js';
import { resolveModels, type SetupValues } from '../models/resolve-models.js';
import type { ResolvedModel } from '../models/resolved-model.js';
import type { Plugin } from '../plugin/contract.js';
import { registerDiscovered } from '../registry/discover-plugins.js';
import { createRegistry, type Registry } from '../registry/registry.js';
import { describeValue, isPlainObject } from '../util/describe-value.js';
import { collectServiceExports, type LoadedServiceModule, loadServiceModule } from './load-service.js';

/** Where a service and its files are, and how it runs: the inputs of start-up. */
export interface PrepareOptions {
  /** Path of the service file (`-s`). */
  service: string;
  /** Path of the addresses file (`-a`). */
  addresses?: string;
  /** Path of the config file (`-c`). */
  config?: string;
  /**
   * Path of a creation-arguments file (`--creation`), shaped like the addresses file: its values
   * are merged into the models' creation arguments before `setup_connections` / `setup_states`
   * (whose values win). `sf up` writes one per process.
   */
  creation?: string;
  /** Extra `--key value` pairs from the command line. */
  extra?: Readonly<Record<string, string>>;
  /** Main mode (`-m`): run `main`, no `in` connections or states. */
  mainMode?: boolean;
  /** Folder relative paths are resolved from; defaults to `process.cwd()`. */
  cwd?: string;
  /** Plugins to register explicitly, before discovery. */
  plugins?: readonly Plugin[];
  /** Find plugins installed in the service's project (default true). */
  discover?: boolean;
  /** The service module already imported (its namespace, or `{ default: defineService({...}) }`); `service` then only names it. */
  module?: Record<string, unknown>;
}

/** A service checked and ready to open: everything start-up computes before any socket exists. */
export interface PreparedService {
  /** Absolute path of the service file. */
  file: string;
  /** Short name for logs: the file name without extension. */
  name: string;
  /** What the service module exports. */
  exports: LoadedServiceModule['exports'];
  /** The merged, checked config. */
  config: Config;
  /** The addresses after `setup_addresses`. */
  addresses: Addresses;
  /** Every connection and state model, resolved and compiled. */
  models: ResolvedModel[];
  /** The registry the types were resolved with. */
  registry: Registry;
}

/**
 * Start-up up to the first socket (SPEC §5): load the service file → config (file → extra pairs →
 * `setup_config` → `config_model`) → addresses (file → `setup_addresses`) → models (with the
 * creation-arguments file, then `setup_connections` / `setup_states`) → resolve and check every
 * model. Throws one `SfError`.
 */
export async function prepareService(options: PrepareOptions): Promise<PreparedService> {
  const cwd = options.cwd ?? process.cwd();
  const { file, exports } =
    options.module === undefined
      ? await loadServiceModule(options.service, cwd)
      : loadedModule(options.module, resolve(cwd, options.service));
  const service = file;
  const config = await loadConfig({ file: options.config, extra: options.extra, setup_config: fn(exports.setup_config), cwd, service });
  checkConfig(config, exports.config_model, service);
  const addresses = await loadAddresses({ file: options.addresses, setup_addresses: fn(exports.setup_addresses), config, cwd, service });

  const registry = createRegistry();
  for (const plugin of options.plugins ?? []) registry.register(plugin);
  if (options.discover !== false) await registerDiscovered(registry, dirname(file), typeNames(exports));

  const given = options.creation === undefined ? undefined : await loadCreationFile(options.creation, cwd, service);
  if (given !== undefined) {
    const names = (models: unknown) =>
      isPlainObject(models) ? [models.in, models.out].flatMap((side) => (isPlainObject(side) ? Object.keys(side) : [])) : [];
    const declared = { connections: names(exports.connection_models), states: names(exports.state_models) };
    checkCreationNames(given, declared, resolve(cwd, options.creation!), service);
  }
  const models = resolveModels({
    service,
    connection_models: exports.connection_models,
    state_models: exports.state_models,
    registry,
    addresses,
    addressesFile: options.addresses,
    setupConnections: mergeCreation(given?.connections, await setupValues(exports.setup_connections, 'setup_connections', config, service)),
    setupStates: mergeCreation(given?.states, await setupValues(exports.setup_states, 'setup_states', config, service)),
  });
  checkMode(models, exports, options.mainMode === true, service);
  return { file, name: basename(file, extname(file)), exports, config, addresses, models, registry };
}

function loadedModule(namespace: Record<string, unknown>, file: string): LoadedServiceModule {
  return { file, exports: collectServiceExports(namespace, file) };
}

function fn<T>(value: unknown): T | undefined {
  return typeof value === 'function' ? (value as T) : undefined;
}

async function setupValues(setup: unknown, name: string, config: Config, service: string): Promise<SetupValues | undefined> {
  if (typeof setup !== 'function') return undefined;
  let result: unknown;
  try {
    result = await setup(config);
  } catch (error) {
    if (error instanceof SfError) throw error;
    throw new ModelError(`${name} threw: ${(error as Error)?.message ?? String(error)}`, {
      service,
      hint: `Fix ${name} in the service file`,
      cause: error,
    });
  }
  if (result === undefined || result === null) return undefined;
  if (!isPlainObject(result))
    throw new ModelError(`${name} must return { model_name: { argument: value } }; it returned ${describeValue(result)}`, { service });
  return result as SetupValues;
}

/** Main mode allows no `in` models and needs `main`; service mode needs something to serve. */
function checkMode(models: readonly ResolvedModel[], exports: LoadedServiceModule['exports'], mainMode: boolean, service: string): void {
  const inbound = models.filter((model) => model.side === 'in');
  if (mainMode) {
    if (inbound.length > 0) {
      throw new ServiceStateError(
        'SF_MAIN_MODE_INVALID',
        `Main mode (-m) does not allow in connections or states, but the service declares ${inbound.map((model) => model.path).join(', ')}`,
        {
          service,
          hint: 'Run it without -m, or move those models to another service: a leading-edge service only sends',
        },
      );
    }
    if (typeof exports.main !== 'function') {
      throw new ServiceStateError(
        'SF_MAIN_MODE_INVALID',
        "Main mode (-m) runs the service's main(to_send, config), but the service exports no main function",
        {
          service,
          hint: 'Export main, or run without -m to serve its in connections',
        },
      );
    }
  } else if (inbound.length === 0) {
    throw new ServiceStateError('SF_MAIN_MODE_INVALID', 'The service has no in connections or states, so there is nothing to serve', {
      service,
      hint: typeof exports.main === 'function' ? 'Run it in main mode with -m' : 'Declare connection_models.in or state_models.in',
    });
  }
}

/** The type names the service's models use (`connection_type`, `state_type`), for discovery to import only what provides them. */
function typeNames(exports: LoadedServiceModule['exports']): Set<string> {
  const names = new Set<string>();
  for (const [section, key] of [
    [exports.connection_models, 'connection_type'],
    [exports.state_models, 'state_type'],
  ] as const) {
    if (!isPlainObject(section)) continue;
    for (const side of [section.in, section.out]) {
      if (!isPlainObject(side)) continue;
      for (const model of Object.values(side)) if (isPlainObject(model) && typeof model[key] === 'string') names.add(model[key]);
    }
  }
  return names;
}
