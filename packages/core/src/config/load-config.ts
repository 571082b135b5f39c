import { resolve } from 'node:path';
import { ConfigError, SfError } from '../errors.js';
import { describeValue, isPlainObject } from '../util/describe-value.js';
import { readJsonFile } from './read-json-file.js';

/** A service's config: flat keys, as handlers, `main` and the setup functions see it. */
export type Config = Record<string, unknown>;

/** The service's `setup_config(config)`: returns keys to merge over the config (may be async). */
export type SetupConfig = (config: Config) => unknown;

/** Inputs of {@link loadConfig}, in the order they are applied. */
export interface LoadConfigOptions {
  /** Path of the JSON config file (`-c`); relative paths are resolved from `cwd`. */
  file?: string;
  /** `--key value` pairs from the command line; they overwrite the file's keys. */
  extra?: Readonly<Record<string, string>>;
  /** The service's `setup_config`; its result is merged last (keys overwrite). */
  setup_config?: SetupConfig;
  /** Folder relative paths are resolved from; defaults to `process.cwd()`. */
  cwd?: string;
  /** Path of the service file, for messages. */
  service?: string;
}

/**
 * Builds a service's config: the file, then the extra command-line pairs, then `setup_config`,
 * each overwriting keys of the one before. Checking the result against `config_model` is the
 * caller's next step.
 *
 * A config (the file or `setup_config`'s result) is either flat (`{ "symbol": "BTC" }`) or in the
 * seed's shape, `{ "required": {...}, "optional": {...} }` with no other top-level key, whose two
 * sections are merged into flat keys (a key in both sections is an error).
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const { file, extra = {}, setup_config, cwd = process.cwd(), service } = options;
  const config: Config =
    file === undefined ? {} : flattenConfig(await readJsonFile(file, 'config file', cwd), 'The config file', { file: resolve(cwd, file) });
  Object.assign(config, extra);
  if (setup_config === undefined) return config;
  let result: unknown;
  try {
    result = await setup_config(config);
  } catch (error) {
    if (error instanceof SfError) throw error;
    throw new ConfigError('SF_CONFIG_INVALID', `setup_config threw: ${(error as Error)?.message ?? String(error)}`, {
      service,
      hint: 'Fix setup_config in the service file',
      cause: error,
    });
  }
  if (result === undefined || result === null) return config;
  return Object.assign(config, flattenConfig(result, 'setup_config', { service }));
}

/**
 * Turns a config object into flat keys: a seed-shaped `{ required, optional }` object is merged
 * into one level, any other object is returned as a copy. `source` names it in messages.
 */
export function flattenConfig(value: unknown, source: string, where: { file?: string; service?: string } = {}): Config {
  if (!isPlainObject(value)) {
    throw new ConfigError('SF_CONFIG_INVALID', `${source} must give an object of config keys; received ${describeValue(value)}`, {
      ...where,
      hint: 'Use a JSON object such as { "symbol": "BTC" }, or the seed shape { "required": {...}, "optional": {...} }',
    });
  }
  if (!isSeedShaped(value)) return { ...value };
  const flat: Config = { ...(value.optional as Config | undefined) };
  for (const [key, entry] of Object.entries((value.required as Config | undefined) ?? {})) {
    if (key in flat) {
      throw new ConfigError('SF_CONFIG_INVALID', `${source} gives '${key}' in both its required and optional sections`, {
        ...where,
        hint: `Keep '${key}' in one section`,
      });
    }
    flat[key] = entry;
  }
  return flat;
}

/** `{ required?: {...}, optional?: {...} }` and nothing else, as the seed's example config.json. */
function isSeedShaped(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => (key === 'required' || key === 'optional') && isPlainObject(value[key]));
}
