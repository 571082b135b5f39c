import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { SetupValues } from '../models/resolve-models.js';
import { describeValue, isPlainObject } from '../util/describe-value.js';
import { readJsonFile } from './read-json-file.js';

/** Creation arguments given from outside the service file (`sf run --creation`), by kind and model name. */
export interface CreationValues {
  /** Connection model name → creation arguments. */
  readonly connections: SetupValues;
  /** State model name → creation arguments. */
  readonly states: SetupValues;
}

const SHAPE = 'Write { "connections": { "in": { "name": { "argument": value } }, "out": {...} }, "states": {...} }';

/**
 * Reads a creation-arguments file, shaped like the addresses file:
 * `{"connections": {"in"|"out": {name: {argument: value}}}, "states": {...}}`. `sf up` writes one
 * per process (e.g. the CurveZMQ keys of the wires that cross hosts). A bad shape is a ConfigError
 * (`SF_CONFIG_INVALID`) naming the path inside the file.
 */
export async function loadCreationFile(file: string, cwd: string, service: string): Promise<CreationValues> {
  const where = { service, file: resolve(cwd, file) };
  const fail = (path: string, problem: string): never => {
    throw new ConfigError('SF_CONFIG_INVALID', `The creation-arguments file ${path === '' ? 'itself' : `at ${path}`} ${problem}`, {
      ...where,
      hint: SHAPE,
    });
  };
  const top = await readJsonFile(file, 'creation-arguments file', cwd);
  const object = (value: unknown, path: string): Record<string, unknown> => {
    if (value === undefined) return {};
    if (!isPlainObject(value)) return fail(path, `is ${describeValue(value)}; expected an object`);
    return value;
  };
  const sections = object(top, '');
  const result = { connections: {} as Record<string, Record<string, unknown>>, states: {} as Record<string, Record<string, unknown>> };
  for (const key of Object.keys(sections)) if (key !== 'connections' && key !== 'states') fail(key, 'is not connections or states');
  for (const group of ['connections', 'states'] as const) {
    const sides = object(sections[group], group);
    for (const [side, models] of Object.entries(sides)) {
      if (side !== 'in' && side !== 'out') fail(`${group}.${side}`, 'is not in or out');
      for (const [name, values] of Object.entries(object(models, `${group}.${side}`))) {
        result[group][name] = { ...result[group][name], ...object(values, `${group}.${side}.${name}`) };
      }
    }
  }
  return result;
}

/**
 * Throws a ConfigError (`SF_CONFIG_INVALID`) when the creation-arguments file names a model the
 * service does not declare; `declared` gives the model names by kind (as in the service's
 * `connection_models` / `state_models`, sides together).
 */
export function checkCreationNames(
  values: CreationValues,
  declared: { connections: readonly string[]; states: readonly string[] },
  file: string,
  service: string,
): void {
  for (const group of ['connections', 'states'] as const) {
    for (const name of Object.keys(values[group])) {
      if (declared[group].includes(name)) continue;
      const kind = group === 'connections' ? 'connection' : 'state';
      throw new ConfigError(
        'SF_CONFIG_INVALID',
        `The creation-arguments file names ${kind} '${name}', which the service does not declare`,
        {
          service,
          file,
          hint: `Declared ${kind} models: ${declared[group].join(', ') || 'none'}; remove '${name}' from the file`,
        },
      );
    }
  }
}

/** `base` with `over` merged in, model by model (an argument in `over` wins). */
export function mergeCreation(base: SetupValues | undefined, over: SetupValues | undefined): SetupValues | undefined {
  if (base === undefined) return over;
  if (over === undefined) return base;
  const merged: Record<string, Readonly<Record<string, unknown>>> = { ...base };
  for (const [name, values] of Object.entries(over)) merged[name] = { ...merged[name], ...values };
  return merged;
}
