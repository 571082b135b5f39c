import type { Config } from '../config/load-config.js';
import { ModelError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { isMapModel } from '../types/argument-model.js';
import { compileArguments } from '../types/compile-arguments.js';
import { type ArgumentModel, SPEC_KIND } from '../types/spec.js';
import { describeValue, isPlainObject } from '../util/describe-value.js';
import { CONFIG_MODEL_KEYS } from './model-keys.js';
import { didYouMean } from '../util/nearest.js';

/**
 * Checks the merged config against `config_model` and returns it. Only declared keys are checked
 * (extra command-line pairs may add others). A string given for a `Number`, `Boolean`, `BigInt`
 * or `Decimal` key is read as that type first, since command-line values arrive as strings.
 */
export function checkConfig(config: Config, configModel: unknown, service: string): Config {
  if (configModel === undefined || configModel === null) return config;
  if (!isPlainObject(configModel)) {
    throw new ModelError(`config_model must be { required?: {...}, optional?: {...} }; received ${describeValue(configModel)}`, {
      service,
      model: 'config_model',
    });
  }
  for (const key of Object.keys(configModel)) {
    if (!(CONFIG_MODEL_KEYS as readonly string[]).includes(key)) {
      throw new ModelError(`Unknown key '${key}' in config_model`, {
        service,
        model: 'config_model',
        hint: didYouMean(key, CONFIG_MODEL_KEYS) || 'Valid keys: required, optional',
      });
    }
  }
  const required = (configModel.required ?? null) as ArgumentModel | null;
  const optional = (configModel.optional ?? null) as ArgumentModel | null;
  if (isMapModel(required) || isMapModel(optional)) {
    throw new ModelError('config_model declares config keys by name; a top-level mapOf(K, V) cannot stand for them', {
      service,
      model: 'config_model',
      hint: 'Nest the map under a key: { optional: { limits: mapOf(String, Number) } }',
    });
  }
  const declared = { ...optional, ...required };
  const subset: Config = {};
  for (const [key, spec] of Object.entries(declared)) {
    if (key in config) config[key] = subset[key] = coerce(config[key], readAs(spec));
  }
  compileArguments({ required, optional }, { service, model: 'config_model', root: 'config' }).assert(subset);
  return config;
}

/** The type a config key's value is read as: `secret(T)` and `optional(T)` are read as T. */
function readAs(spec: unknown): unknown {
  let inner = spec;
  for (let kind = kindOf(inner); kind === 'secret' || kind === 'optional'; kind = kindOf(inner))
    inner = (inner as { inner: unknown }).inner;
  return inner;
}

function kindOf(spec: unknown): unknown {
  return typeof spec === 'object' && spec !== null ? (spec as { [SPEC_KIND]?: unknown })[SPEC_KIND] : undefined;
}

/** Reads a command-line string as the scalar type the model asks for; anything else is left as it is. */
function coerce(value: unknown, spec: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (spec === Number && text !== '' && Number.isFinite(Number(text))) return Number(text);
  if (spec === Boolean && (text === 'true' || text === 'false')) return text === 'true';
  if (spec === BigInt && /^-?\d+$/.test(text)) return BigInt(text);
  if (spec === Decimal && text !== '') {
    try {
      return new Decimal(text);
    } catch {
      return value;
    }
  }
  return value;
}
