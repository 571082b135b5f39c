/**
 * What the runner's logger must never write: config keys and creation arguments whose type is
 * `secret(T)`, and config keys named like secrets. Turned into pino `redact` paths, so a value
 * logged under `config` or `creation` shows as `[redacted]` in the console and the log files.
 */
import type { ResolvedModel } from '../models/resolved-model.js';
import type { ArgumentModels } from '../plugin/contract.js';
import { isMapModel } from '../types/argument-model.js';
import { SPEC_KIND } from '../types/spec.js';
import { isPlainObject } from '../util/describe-value.js';
import { redactUrlCredentials } from '../util/redact-url.js';

/** What the logger writes instead of a secret. */
export const REDACTED = '[redacted]';

/** Config keys redacted even when `config_model` does not mark them (extra `--key value` pairs, undeclared keys). */
const SECRET_NAME = /secret|password|passwd|token|private|credential/i;

/**
 * The pino redact paths for a service: `config.<key path>` for every secret config key (declared
 * with `secret(T)`, or named like a secret), `creation.<key path>` for every secret creation
 * argument of its models' types and models.
 */
export function redactionPaths(
  config: Readonly<Record<string, unknown>>,
  configModel: unknown,
  models: readonly ResolvedModel[],
): string[] {
  const paths = new Set<string>();
  for (const path of secretKeyPaths(configModel)) paths.add(`config${path}`);
  for (const key of Object.keys(config)) if (SECRET_NAME.test(key)) paths.add(`config${keyPath(key)}`);
  for (const model of models) {
    for (const path of secretKeyPaths(model.definition.creationArguments)) paths.add(`creation${path}`);
  }
  return [...paths];
}

/** Paths (`.a.b`, `.list[*]`) of the keys marked `secret(T)` in `{ required?, optional? }` argument models. */
export function secretKeyPaths(models: ArgumentModels | unknown): string[] {
  if (!isPlainObject(models)) return [];
  const found: string[] = [];
  for (const side of [models.required, models.optional]) {
    if (isPlainObject(side) && !isMapModel(side)) for (const [key, spec] of Object.entries(side)) walk(spec, keyPath(key), found, 0);
  }
  return found;
}

function walk(spec: unknown, path: string, found: string[], depth: number): void {
  if (depth > 16 || spec === null || typeof spec !== 'object') return;
  if (Array.isArray(spec)) {
    walk(spec[0], `${path}[*]`, found, depth + 1);
    return;
  }
  const kind = (spec as { [SPEC_KIND]?: unknown })[SPEC_KIND];
  if (kind === 'secret') {
    found.push(path);
    return;
  }
  if (kind === 'optional' || kind === 'nullable') {
    walk((spec as { inner: unknown }).inner, path, found, depth + 1);
    return;
  }
  if (kind !== undefined || !isPlainObject(spec)) return;
  for (const [key, inner] of Object.entries(spec)) walk(inner, `${path}${keyPath(key)}`, found, depth + 1);
}

/** `.key`, or `["key"]` when it is not an identifier (pino's path syntax). */
function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * Config or creation arguments as a log line may show them: data values as they are (secret ones
 * are redacted by the logger; the user and password inside a URL such as `nats://user:pass@host`
 * too), functions and class instances (clients, handlers) by name only.
 */
export function loggableValues(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return loggable(values, 0) as Record<string, unknown>;
}

function loggable(value: unknown, depth: number): unknown {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[…]';
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => loggable(item, depth + 1));
  if (!isPlainObject(value)) {
    // Values with a text form (Decimal, UUID, Date) show it; other instances only their class.
    return typeof (value as { toJSON?: unknown }).toJSON === 'function' ? value : `[${value.constructor?.name ?? 'object'}]`;
  }
  const shown: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) shown[key] = loggable(inner, depth + 1);
  return shown;
}
