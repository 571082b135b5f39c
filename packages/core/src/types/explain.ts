/**
 * Finds the most useful first error in a value that failed validation. Runs only after the
 * compiled validator said no; it descends only into parts whose own compiled check fails, so it
 * always agrees with ajv.
 */
import { didYouMean, nearest } from '../util/nearest.js';
import { isPlainObject } from '../util/describe-value.js';
import { indexPath, keyPath, pointerPath, valueAtPointer } from './arg-path.js';
import { describeNode, describeReceived, truncate } from './describe.js';
import type { MapNode, ModelNode, SpecNode } from './spec-node.js';

/** One validation failure, before it becomes a ValidationError. */
export interface Failure {
  /** Argument path, e.g. `args.order.price`. */
  path: string;
  /** What is wrong, in a few words. */
  what: string;
  /** The type that was expected there. */
  expected: string;
  /** What was found there. */
  received: string;
  /** How to fix it. */
  hint?: string;
}

/** The first failure of `value` against `node` at `path`, or undefined when it matches. */
export function explain(node: SpecNode, value: unknown, path: string): Failure | undefined {
  if (node.check?.(value)) return undefined;
  const failure = explainNode(node, value, path);
  if (failure !== undefined && node.secret === true) failure.received = describeSecret(value);
  return failure;
}

/** What a secret value is, without any of it: `a string (a secret: its value is not shown)`. */
function describeSecret(value: unknown): string {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return `${kind} (a secret: its value is not shown)`;
}

function explainNode(node: SpecNode, value: unknown, path: string): Failure | undefined {
  switch (node.kind) {
    case 'model':
      return isPlainObject(value) ? (explainModel(node, value, path) ?? mismatch(node, value, path)) : mismatch(node, value, path);
    case 'list':
      if (!Array.isArray(value)) return mismatch(node, value, path);
      for (let i = 0; i < value.length; i++) {
        const failure = explain(node.item, value[i], indexPath(path, i));
        if (failure) return failure;
      }
      return mismatch(node, value, path);
    case 'tuple':
      if (!Array.isArray(value)) return mismatch(node, value, path);
      if (value.length !== node.items.length) {
        return {
          path,
          what: 'Wrong number of items',
          expected: `${describeNode(node)} (${node.items.length} items)`,
          received: describeReceived(value),
        };
      }
      for (let i = 0; i < value.length; i++) {
        const failure = explain(node.items[i]!, value[i], indexPath(path, i));
        if (failure) return failure;
      }
      return mismatch(node, value, path);
    case 'set': {
      if (!(value instanceof Set)) return mismatch(node, value, path);
      let i = 0;
      for (const element of value) {
        const failure = explain(node.item, element, indexPath(path, i++));
        if (failure) return failure;
      }
      return mismatch(node, value, path);
    }
    case 'map':
      if (node.arguments && !isPlainObject(value)) return mismatch(node, value, path);
      return (
        explainMap(node, value, path) ??
        (node.nonEmpty && isPlainObject(value) && Object.keys(value).length === 0 ? noEntry(node, path) : mismatch(node, value, path))
      );
    case 'nullable': {
      const failure = explain(node.inner, value, path);
      if (failure && failure.path === path && failure.what === WRONG_TYPE) failure.expected = describeNode(node);
      return failure ?? mismatch(node, value, path);
    }
    case 'schema':
      return explainRaw(node, value, path);
    default:
      return mismatch(node, value, path);
  }
}

const WRONG_TYPE = 'Value does not match its type';

function mismatch(node: SpecNode, value: unknown, path: string): Failure {
  const failure: Failure = { path, what: WRONG_TYPE, expected: describeNode(node), received: describeReceived(value) };
  const hint = hintFor(node, value);
  if (hint !== undefined) failure.hint = hint;
  return failure;
}

function hintFor(node: SpecNode, value: unknown): string | undefined {
  if (node.kind === 'nullable') return hintFor(node.inner, value);
  if (node.kind !== 'scalar') return undefined;
  if (node.name === 'Decimal' && (typeof value === 'number' || typeof value === 'string')) {
    return "Pass a Decimal: new Decimal('1.50') (from a string, to stay exact)";
  }
  if (node.name === 'UUID' && typeof value === 'string') return 'Pass a UUID: new UUID(text)';
  if (node.name === 'Date' && (typeof value === 'string' || typeof value === 'number')) return 'Pass a Date: new Date(text)';
  if (node.name === 'BigInt' && typeof value === 'number')
    return 'Numbers beyond ±2^53 or with a fraction are not exact integers; pass a bigint';
  return undefined;
}

function explainModel(node: ModelNode, value: Record<string, unknown>, path: string): Failure | undefined {
  const known = node.fields.map((f) => f.name);
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  const missing = node.fields.filter((f) => !f.optional && value[f.name] === undefined).map((f) => f.name);
  // A misspelt key usually explains a missing one: report it first, with the suggestion.
  const misspelt = unknown.find((key) => nearest(key, missing) !== undefined) ?? unknown.find((key) => nearest(key, known) !== undefined);
  if (misspelt !== undefined) return unknownKey(node, value, misspelt, path, known);
  const absent = missing[0];
  if (absent !== undefined) {
    const field = node.fields.find((f) => f.name === absent)!;
    return {
      path: keyPath(path, absent),
      what: `Missing required ${node.arguments ? 'argument' : 'key'} '${absent}'`,
      expected: describeNode(field.node),
      received: 'nothing (the key is missing)',
      hint: `Add '${absent}'`,
    };
  }
  if (unknown[0] !== undefined) return unknownKey(node, value, unknown[0], path, known);
  for (const field of node.fields) {
    if (value[field.name] === undefined) continue;
    const failure = explain(field.node, value[field.name], keyPath(path, field.name));
    if (failure) return failure;
  }
  return undefined;
}

function unknownKey(node: ModelNode, value: Record<string, unknown>, fullKey: string, path: string, known: string[]): Failure {
  const noun = node.arguments ? 'argument' : 'key';
  // A peer's key may be huge: quote at most 64 characters of it in messages and logs.
  const key = truncate(fullKey, 64);
  return {
    path: keyPath(path, key),
    what: node.arguments ? `Unknown argument '${key}'` : `Unknown key '${key}' (a nested model rejects keys it does not list)`,
    expected: known.length === 0 ? `no ${noun}s` : `one of the ${noun}s ${known.join(', ')}`,
    received: `'${key}' = ${describeReceived(value[fullKey])}`,
    hint: (fullKey.length <= 64 && didYouMean(fullKey, known)) || `Remove '${key}', or add it to the model`,
  };
}

function explainMap(node: MapNode, value: unknown, path: string): Failure | undefined {
  const entries: [unknown, unknown, boolean][] = [];
  if (value instanceof Map) {
    for (const [k, v] of value) entries.push([k, v, node.key.check?.(k) ?? true]);
  } else if (isPlainObject(value)) {
    for (const k of Object.keys(value)) entries.push([k, value[k], node.keyText?.(k) ?? true]);
  } else {
    return undefined;
  }
  for (const [k, v, keyOk] of entries) {
    const at = `${path}[${keyText(k)}]`;
    if (!keyOk) {
      const form = value instanceof Map ? '' : ' (as text, in a plain object)';
      return {
        path: at,
        what: 'Map key does not match its type',
        expected: `key of type ${describeNode(node.key)}${form}`,
        received: describeReceived(k),
      };
    }
    const failure = explain(node.value, v, at);
    if (failure) return failure;
  }
  return undefined;
}

function noEntry(node: MapNode, path: string): Failure {
  return {
    path,
    what: 'At least one argument is required (the required arguments are a mapOf(K, V))',
    expected: describeNode(node),
    received: 'an empty object {}',
    hint: 'Send at least one key, or declare the map in optional_arguments to allow none',
  };
}

function keyText(key: unknown): string {
  // A peer's key may be huge: quote at most 64 characters of it, as for unknown keys.
  if (typeof key === 'string') return JSON.stringify(truncate(key, 64));
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  return describeReceived(key);
}

function explainRaw(node: Extract<SpecNode, { kind: 'schema' }>, value: unknown, path: string): Failure {
  const error = node.raw?.(value) === false ? node.raw.errors?.[0] : undefined;
  if (error === undefined) return mismatch(node, value, path);
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  const at = extra === undefined ? error.instancePath : `${error.instancePath}/${extra}`;
  return {
    path: pointerPath(path, at),
    what: 'Value does not match its JSON Schema',
    expected: `a value that ${error.message ?? 'matches'} (JSON Schema keyword '${error.keyword}')`,
    received: describeReceived(valueAtPointer(value, at)),
  };
}
