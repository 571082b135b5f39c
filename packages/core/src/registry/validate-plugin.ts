import { PluginError } from '../errors.js';
import type { Plugin, TypeDefinition } from '../plugin/contract.js';
import { describeValue, isRecord } from '../util/describe-value.js';
import { nearest } from '../util/nearest.js';

const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
// A Record over keyof TypeDefinition: a field added to the contract fails to compile until listed here.
const TYPE_FIELDS: Record<keyof TypeDefinition, true> = {
  side: true,
  kind: true,
  peers: true,
  addresses: true,
  optionalAddresses: true,
  aliases: true,
  creationArguments: true,
  typeArguments: true,
  sendModel: true,
  handler: true,
  replies: true,
  description: true,
  entry: true,
  create: true,
};
const TYPE_KEYS: ReadonlySet<string> = new Set(Object.keys(TYPE_FIELDS));
const HINT = 'Fix the plugin definition (see the `Plugin` and `TypeDefinition` docs in @sf/core/plugin), or update the plugin package';

/**
 * Checks that `value` has the shape of a {@link Plugin}; throws `PluginError` (`SF_PLUGIN_INVALID`)
 * naming the plugin, the type and the bad field.
 */
export function assertPluginShape(value: unknown, source = 'A plugin'): asserts value is Plugin {
  if (!isRecord(value)) fail(source, `is ${describeValue(value)}, not a plugin object`);
  const label = typeof value.name === 'string' && value.name !== '' ? `Plugin '${value.name}'` : source;
  if (typeof value.name !== 'string' || value.name === '') {
    fail(label, `has name ${describeValue(value.name)}; expected the package name, e.g. '@acme/conn-http'`);
  }
  if (!Number.isInteger(value.coreMajor) || (value.coreMajor as number) < 0) {
    fail(label, `has coreMajor ${describeValue(value.coreMajor)}; expected the @sf/core major it was built for, e.g. 0`);
  }
  if (!isRecord(value.types) || Object.keys(value.types).length === 0) {
    fail(label, `has types ${describeValue(value.types)}; expected an object with at least one type name → definition`);
  }
  const claimed = new Map<string, string>();
  for (const [typeName, definition] of Object.entries(value.types)) {
    assertTypeShape(label, typeName, definition);
    for (const name of [typeName, ...(definition.aliases ?? [])]) {
      const owner = claimed.get(name);
      if (owner !== undefined) fail(label, `claims the name '${name}' twice (types '${owner}' and '${typeName}')`);
      claimed.set(name, typeName);
    }
  }
}

function assertTypeShape(label: string, typeName: string, def: unknown): asserts def is TypeDefinition {
  const at = `type '${typeName}'`;
  if (!TYPE_NAME.test(typeName)) fail(label, `has a type named '${typeName}'; type names are letters, digits, '_' and '-'`);
  if (!isRecord(def)) fail(label, `${at} is ${describeValue(def)}; expected a type definition object`);
  for (const key of Object.keys(def)) {
    if (!TYPE_KEYS.has(key)) {
      const guess = nearest(key, TYPE_KEYS);
      const suggestion = guess === undefined ? '' : ` (did you mean '${guess}'?)`;
      fail(label, `${at} has an unknown field '${key}'${suggestion}; known fields: ${[...TYPE_KEYS].join(', ')}`);
    }
  }
  if (def.side !== 'in' && def.side !== 'out') fail(label, `${at} has side ${describeValue(def.side)}; expected 'in' or 'out'`);
  if (def.kind !== 'connection' && def.kind !== 'state') {
    fail(label, `${at} has kind ${describeValue(def.kind)}; expected 'connection' or 'state'`);
  }
  checkNames(label, at, 'peers', def.peers);
  checkNames(label, at, 'addresses', def.addresses);
  if (def.optionalAddresses !== undefined) checkNames(label, at, 'optionalAddresses', def.optionalAddresses);
  if (def.aliases !== undefined) {
    checkNames(label, at, 'aliases', def.aliases);
    for (const alias of def.aliases as string[]) {
      if (!TYPE_NAME.test(alias)) fail(label, `${at} has alias '${alias}'; aliases are letters, digits, '_' and '-'`);
    }
  }
  checkArgumentModels(label, at, 'creationArguments', def.creationArguments);
  checkArgumentModels(label, at, 'typeArguments', def.typeArguments);
  checkArgumentModels(label, at, 'sendModel', def.sendModel);
  if (
    def.entry !== undefined &&
    (def.side !== 'in' || !isRecord(def.entry) || (def.entry.docs !== undefined && typeof def.entry.docs !== 'string'))
  )
    fail(label, `${at} has entry ${describeValue(def.entry)}; expected { docs?: '/path' } on an 'in' type`);
  if (def.sendModel !== undefined && def.side !== 'out')
    fail(label, `${at} is an 'in' type but declares sendModel; only 'out' types are sent to`);
  if (def.handler !== undefined) {
    if (def.side !== 'in')
      fail(label, `${at} is an 'out' type but declares handler '${String(def.handler)}'; only 'in' types call handlers`);
    if (typeof def.handler !== 'string' || def.handler === '') {
      fail(label, `${at} has handler ${describeValue(def.handler)}; expected the name of a creation argument, e.g. 'on_new_request'`);
    }
  }
  if (typeof def.replies !== 'boolean') fail(label, `${at} has replies ${describeValue(def.replies)}; expected true or false`);
  if (def.description !== undefined && typeof def.description !== 'string') {
    fail(label, `${at} has description ${describeValue(def.description)}; expected a string`);
  }
  if (typeof def.create !== 'function') {
    fail(label, `${at} has create ${describeValue(def.create)}; expected a function (context) => Endpoint`);
  }
}

function checkNames(label: string, at: string, field: string, value: unknown): void {
  const ok = Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');
  if (!ok) fail(label, `${at} has ${field} ${describeValue(value)}; expected an array of non-empty strings`);
  if (new Set(value as string[]).size !== (value as string[]).length) fail(label, `${at} lists a name twice in ${field}`);
}

function checkArgumentModels(label: string, at: string, field: string, value: unknown): void {
  if (value === undefined) return;
  if (!isRecord(value)) fail(label, `${at} has ${field} ${describeValue(value)}; expected { required?, optional? }`);
  for (const [key, model] of Object.entries(value)) {
    if (key !== 'required' && key !== 'optional') {
      fail(label, `${at} has an unknown key '${key}' in ${field}; expected 'required' and/or 'optional'`);
    }
    if (model !== undefined && model !== null && !isRecord(model)) {
      fail(label, `${at} has ${field}.${key} ${describeValue(model)}; expected an object of argument name → type`);
    }
  }
}

function fail(label: string, what: string): never {
  throw new PluginError('SF_PLUGIN_INVALID', `${label} ${what}`, { hint: HINT });
}
