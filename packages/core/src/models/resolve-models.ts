import type { Addresses } from '../config/load-addresses.js';
import { ConfigError, ModelError } from '../errors.js';
import type { ArgumentModels, Kind, Side } from '../plugin/contract.js';
import type { Registry } from '../registry/registry.js';
import { isEmptyModel, partialModel } from '../types/argument-model.js';
import { type ArgumentModel, type ArgumentsValidator, compileArguments } from '../types/compile-arguments.js';
import { describeValue, isPlainObject } from '../util/describe-value.js';
import { didYouMean } from '../util/nearest.js';
import { counterpartKey, KIND_KEYS, SIDE_KEYS } from './model-keys.js';
import type { ResolvedModel } from './resolved-model.js';

/** Values a service's `setup_connections` / `setup_states` returned: model name → creation arguments. */
export type SetupValues = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What {@link resolveModels} needs. */
export interface ResolveModelsInput {
  /** Path of the service file, for messages. */
  service: string;
  /** The service's `connection_models`. */
  connection_models?: unknown;
  /** The service's `state_models`. */
  state_models?: unknown;
  /** Registry that provides the types. */
  registry: Registry;
  /** The service's addresses. */
  addresses: Addresses;
  /** Path of the addresses file, for messages. */
  addressesFile?: string;
  /** `setup_connections(config)`'s result. */
  setupConnections?: SetupValues;
  /** `setup_states(config)`'s result. */
  setupStates?: SetupValues;
}

/**
 * Checks every connection and state model of a service, resolves its type through the registry,
 * checks its creation/connection/state arguments and addresses against what the type declares,
 * and compiles its argument validators. Runs once at start; throws the first problem found.
 */
export function resolveModels(input: ResolveModelsInput): ResolvedModel[] {
  // Types first: an unknown type (a plugin not installed) is the first thing to fix, before any address or argument of another model.
  resolveTypes(input);
  return [
    ...resolveKind('connection', input.connection_models, input.setupConnections, input),
    ...resolveKind('state', input.state_models, input.setupStates, input),
  ];
}

/** Resolves every type name written as a string in a well-formed model; the full checks come after, model by model. */
function resolveTypes(input: ResolveModelsInput): void {
  for (const kind of ['connection', 'state'] as const) {
    const keys = KIND_KEYS[kind];
    const section = kind === 'connection' ? input.connection_models : input.state_models;
    if (!isPlainObject(section)) continue;
    for (const side of SIDE_KEYS) {
      const models = section[side];
      if (!isPlainObject(models)) continue;
      for (const [name, model] of Object.entries(models)) {
        const typeName = isPlainObject(model) ? model[keys.type] : undefined;
        if (typeof typeName === 'string')
          input.registry.resolve(typeName, { kind, service: input.service, model: `${keys.section}.${side}.${name}` });
      }
    }
  }
}

function resolveKind(kind: Kind, section: unknown, setup: SetupValues | undefined, input: ResolveModelsInput): ResolvedModel[] {
  const keys = KIND_KEYS[kind];
  const { service } = input;
  if (section === undefined || section === null) {
    checkSetupNames(kind, setup, [], service);
    return [];
  }
  if (!isPlainObject(section)) {
    throw new ModelError(`${keys.section} must be an object with 'in' and/or 'out'; received ${describeValue(section)}`, {
      service,
      model: keys.section,
    });
  }
  checkKeys(section, SIDE_KEYS, keys.section, service);
  const resolved: ResolvedModel[] = [];
  for (const side of SIDE_KEYS) {
    const models = section[side];
    if (models === undefined || models === null) continue;
    if (!isPlainObject(models)) {
      throw new ModelError(`${keys.section}.${side} must map names to models; received ${describeValue(models)}`, {
        service,
        model: `${keys.section}.${side}`,
      });
    }
    for (const [name, model] of Object.entries(models)) {
      resolved.push(resolveOne(kind, side, name, model, setup?.[name], input));
    }
  }
  checkSetupNames(
    kind,
    setup,
    resolved.map((model) => model.name),
    service,
  );
  return resolved;
}

function resolveOne(
  kind: Kind,
  side: Side,
  name: string,
  model: unknown,
  setup: Readonly<Record<string, unknown>> | undefined,
  input: ResolveModelsInput,
): ResolvedModel {
  const keys = KIND_KEYS[kind];
  const { service } = input;
  const path = `${keys.section}.${side}.${name}`;
  if (!isPlainObject(model))
    throw new ModelError(`The model must be an object; received ${describeValue(model)}`, { service, model: path });
  checkKeys(model, keys.all, path, service, kind);

  const typeName = model[keys.type];
  if (typeof typeName !== 'string') {
    throw new ModelError(`'${keys.type}' is missing or not a string (received ${describeValue(typeName)})`, {
      service,
      model: path,
      hint:
        `Add '${keys.type}', e.g. ` +
        `'${kind === 'connection' ? (side === 'in' ? 'replyer' : 'requester') : side === 'in' ? 'delta_update_in' : 'delta_update_out'}'`,
    });
  }
  const { plugin, definition } = input.registry.resolve(typeName, { kind, service, model: path });
  if (definition.side !== side) {
    throw new ModelError(`'${typeName}' is an ${definition.side} ${kind} type but is declared under ${keys.section}.${side}`, {
      service,
      model: path,
      hint: `Move it to ${keys.section}.${definition.side}, or use one of its peer types (${definition.peers.join(', ')})`,
    });
  }

  const creation = {
    ...objectAt(model, 'required_creation_arguments', path, service),
    ...objectAt(model, 'optional_creation_arguments', path, service),
    ...setup,
  };
  checkValues(creation, definition.creationArguments, { service, model: path, root: 'creation_arguments' });
  const typeArguments = {
    ...objectAt(model, keys.requiredTypeArguments, path, service),
    ...objectAt(model, keys.optionalTypeArguments, path, service),
  };
  checkValues(typeArguments, definition.typeArguments, { service, model: path, root: `${kind}_arguments` });

  const returnModels = { required: modelAt(model, 'required_return_arguments'), optional: modelAt(model, 'optional_return_arguments') };
  const declaresReturns = !isEmptyModel(returnModels.required) || !isEmptyModel(returnModels.optional);
  if (declaresReturns && !definition.replies) {
    throw new ModelError(`'${typeName}' sends no reply, so it cannot declare return arguments`, {
      service,
      model: path,
      hint: "Remove 'required_return_arguments' / 'optional_return_arguments' from this model",
    });
  }

  const argModels = { required: modelAt(model, 'required_arguments'), optional: modelAt(model, 'optional_arguments') };
  const args = compileArguments(argModels, { service, model: path, root: kind === 'state' ? 'state' : 'args' });
  const handler = definition.handler === undefined ? undefined : creation[definition.handler];
  return {
    name,
    kind,
    side,
    path,
    typeName,
    pluginName: plugin.name,
    definition,
    creation,
    typeArguments,
    handler: typeof handler === 'function' ? (handler as (...args: any[]) => unknown) : undefined,
    ...socketAddresses(kind, side, name, definition.addresses, definition.optionalAddresses ?? [], input),
    declared: { args: argModels, returns: returnModels },
    args,
    send: definition.sendModel === undefined ? args : compileArguments(definition.sendModel, { service, model: path, root: 'args' }),
    partial:
      kind === 'state' ? compileArguments({ optional: partialModel(argModels) }, { service, model: path, root: 'state' }) : undefined,
    returns: definition.replies ? compileArguments(returnModels, { service, model: path, root: 'return_args' }) : undefined,
  };
}

/** Rejects keys outside `valid`, suggesting the nearest valid one (in a model of `kind`, the key of that kind first). */
function checkKeys(object: Record<string, unknown>, valid: readonly string[], path: string, service: string, kind?: Kind): void {
  for (const key of Object.keys(object)) {
    if (valid.includes(key)) continue;
    const counterpart = kind === undefined ? undefined : counterpartKey(key, kind);
    const otherSection = kind === 'state' ? 'connection_models' : 'state_models';
    const suggestion =
      counterpart === undefined ? didYouMean(key, valid) : `Did you mean '${counterpart}'? '${key}' belongs in ${otherSection}`;
    throw new ModelError(`Unknown key '${key}' in ${path}`, {
      service,
      model: path,
      hint: suggestion || `Valid keys: ${valid.join(', ')}`,
    });
  }
}

function objectAt(model: Record<string, unknown>, key: string, path: string, service: string): Record<string, unknown> {
  const value = model[key];
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value))
    throw new ModelError(`'${key}' must be an object of name → value; received ${describeValue(value)}`, {
      service,
      model: `${path}.${key}`,
    });
  return value;
}

function modelAt(model: Record<string, unknown>, key: string): ArgumentModel | null {
  return (model[key] ?? null) as ArgumentModel | null;
}

/**
 * Validators of what each type declares (its creation or connection/state arguments), compiled once
 * and shared by every model of that type: one service, or a `sf check` of hundreds, compiles each
 * declaration once, not once per model. Keyed by the declaration (or {@link NO_ARGUMENTS}) and root.
 */
const DECLARED_CHECKS = new WeakMap<object, Map<string, ArgumentsValidator>>();
const NO_ARGUMENTS = {};

/** Checks creation or connection/state argument values against what the type declares. */
function checkValues(
  values: Record<string, unknown>,
  declared: ArgumentModels | undefined,
  where: { service: string; model: string; root: string },
): void {
  const models = { required: declared?.required ?? null, optional: declared?.optional ?? null };
  const key = declared ?? NO_ARGUMENTS;
  const byRoot = DECLARED_CHECKS.get(key) ?? new Map<string, ArgumentsValidator>();
  DECLARED_CHECKS.set(key, byRoot);
  let shared = byRoot.get(where.root);
  if (shared === undefined) {
    try {
      shared = compileArguments(models, { root: where.root, allowFunctions: true });
    } catch {
      shared = undefined;
    }
    if (shared !== undefined) byRoot.set(where.root, shared);
  }
  if (shared !== undefined && shared.check(values) === undefined) return;
  // Compiled again with this model's location, so the error (or a bad declaration's) names it.
  compileArguments(models, { ...where, allowFunctions: true }).assert(values);
}

function socketAddresses(
  kind: Kind,
  side: Side,
  name: string,
  required: readonly string[],
  optional: readonly string[],
  input: ResolveModelsInput,
): { addresses: Record<string, string>; addressLists: Record<string, readonly string[]> } {
  const sockets = [...required, ...optional];
  const section = kind === 'connection' ? 'connections' : 'states';
  const given = input.addresses[section][side][name] ?? {};
  const where = { service: input.service, file: input.addressesFile, model: `${KIND_KEYS[kind].section}.${side}.${name}` };
  for (const socket of Object.keys(given)) {
    if (sockets.includes(socket)) continue;
    throw new ConfigError('SF_ADDRESSES_INVALID', `Unknown socket name '${socket}' at ${section}.${side}.${name}`, {
      ...where,
      hint:
        didYouMean(socket, sockets) ||
        (sockets.length > 0 ? `This type's socket names: ${sockets.join(', ')}` : 'This type needs no address: remove the entry'),
    });
  }
  const missing = required.filter((socket) => given[socket] === undefined);
  if (missing.length > 0) {
    const example = Object.fromEntries(missing.map((socket) => [socket, '127.0.0.1:5555']));
    throw new ConfigError(
      'SF_ADDRESSES_INVALID',
      `No address for ${missing.map((socket) => `'${socket}'`).join(', ')} of ${section}.${side}.${name}`,
      {
        ...where,
        hint: `Add to the addresses file (-a): ${JSON.stringify({ [section]: { [side]: { [name]: example } } })}`,
      },
    );
  }
  // `addresses` keeps the seed's one string per socket (the first of a list) for plugins that connect once.
  const addresses: Record<string, string> = {};
  const addressLists: Record<string, readonly string[]> = {};
  for (const [socket, addr] of Object.entries(given)) {
    const list = typeof addr === 'string' ? [addr] : addr;
    addresses[socket] = list[0]!;
    addressLists[socket] = Object.freeze(list);
  }
  return { addresses, addressLists };
}

/** `setup_connections` / `setup_states` may only name declared models. */
function checkSetupNames(kind: Kind, setup: SetupValues | undefined, names: readonly string[], service: string): void {
  if (setup === undefined) return;
  const fn = kind === 'connection' ? 'setup_connections' : 'setup_states';
  for (const [name, values] of Object.entries(setup)) {
    if (!names.includes(name)) {
      throw new ModelError(`${fn} returned arguments for '${name}', which is not a ${kind} model`, {
        service,
        hint: didYouMean(name, names) || `Declared: ${names.join(', ') || 'none'}`,
      });
    }
    if (!isPlainObject(values))
      throw new ModelError(`${fn} must return { name: { argument: value } }; '${name}' is ${describeValue(values)}`, { service });
  }
}
