/**
 * The valid-path check of a parsed type, built once at compile time from the node tree: plain JS
 * that allocates nothing per call (ajv's code builds error objects inside `anyOf`, and its custom
 * keywords get a context object per call). It accepts a value only when the node's ajv validator
 * does, so `compileArguments` asks ajv only when this says no, and ajv stays the authority.
 *
 * A model becomes one generated function: required keys and a few optional keys are read by
 * name; with more than {@link UNROLLED_OPTIONAL} optional keys (a delta's partial model) the
 * present keys are walked instead, so a 3-key delta of a 200-key state costs 3 lookups, not 200.
 */
import type { Check, ModelNode, SpecNode } from './spec-node.js';
import { SCALAR_CHECKS } from './value-checks.js';
import { plainOf } from '../util/state-view.js';

/** Optional keys of a model read by name; a model with more walks the keys of the value. */
export const UNROLLED_OPTIONAL = 8;

/** A state view's plain copy, or `value` itself. */
function unwrapView(value: object): object {
  return plainOf(value) ?? value;
}

const ALWAYS: Check = () => true;
const NEVER: Check = () => false;

function hasKey(value: object): boolean {
  for (const _ in value) return true;
  return false;
}

/** The fast check of a node already compiled by `compileArguments` (its `check`, `raw`, `keyText` set). */
export function fastCheck(node: SpecNode): Check {
  switch (node.kind) {
    case 'scalar':
      return SCALAR_CHECKS[node.name];
    case 'any':
      return ALWAYS;
    case 'literal':
      return generate(() => `return ${literalTest(node.values, 'value')};`);
    case 'nullable': {
      const inner = fastCheck(node.inner);
      return (value) => value === null || inner(value);
    }
    case 'list':
      return listCheck(fastCheck(node.item));
    case 'tuple':
      return tupleCheck(node.items.map(fastCheck));
    case 'set': {
      const item = fastCheck(node.item);
      return (value) => {
        if (!(value instanceof Set)) return false;
        for (const element of value) if (!item(element)) return false;
        return true;
      };
    }
    case 'map': {
      const check = mapCheck(node.arguments === true ? NEVER : fastCheck(node.key), fastCheck(node.value), keyTextCheck(node));
      return node.nonEmpty ? (value) => check(value) && hasKey(value as object) : check;
    }
    case 'schema': {
      const raw = node.raw;
      return raw === undefined ? authority(node) : (value) => raw(value) as boolean;
    }
    case 'model':
      return modelCheck(node);
  }
}

function authority(node: SpecNode): Check {
  if (node.check === undefined) throw new Error(`fastCheck: ${node.path || 'the root'} is not compiled yet`);
  return node.check;
}

function listCheck(item: Check): Check {
  if (item === ALWAYS) return (value) => Array.isArray(value);
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
    return true;
  };
}

function tupleCheck(items: readonly Check[]): Check {
  const n = items.length;
  return (value) => {
    if (!Array.isArray(value) || value.length !== n) return false;
    for (let i = 0; i < n; i++) if (!items[i]!(value[i])) return false;
    return true;
  };
}

/**
 * As the `sfMap` keyword: a Map checked by key and value, or a plain object by key text and value.
 * A whole arguments object (`key` {@link NEVER}) is never a Map.
 */
function mapCheck(key: Check, item: Check, keyText: Check): Check {
  return (value) => {
    if (value instanceof Map) {
      if (key === NEVER) return false;
      for (const [k, v] of value) if (!key(k) || !item(v)) return false;
      return true;
    }
    if (typeof value !== 'object' || value === null) return false;
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    const plain = plainOf(value) ?? (value as Record<string, unknown>);
    // for-in also visits inherited enumerable keys (none on a plain object): never more lenient than Object.keys.
    for (const k in plain) if (!keyText(k) || !item(plain[k])) return false;
    return true;
  };
}

function keyTextCheck(node: Extract<SpecNode, { kind: 'map' }>): Check {
  const key = node.key;
  if (key.kind === 'any' || (key.kind === 'scalar' && key.name === 'String')) return ALWAYS;
  return node.keyText ?? NEVER;
}

/** A JS expression that is true when `v` is one of `values` (compared with `===`, as the enum's code). */
function literalTest(values: readonly unknown[], v: string): string {
  const tests = values.map((value) => {
    if (typeof value === 'number') return Number.isNaN(value) ? 'false' : `${v} === ${String(value)}`;
    return `${v} === ${JSON.stringify(value)}`;
  });
  return `(${tests.join(' || ')})`;
}

/** A JS expression that is true when `v` matches `node`; `ref` names a function the code may call. */
function inlineTest(node: SpecNode, v: string, ref: (value: unknown) => string): string {
  switch (node.kind) {
    case 'scalar':
      if (node.name === 'String' || node.name === 'Number' || node.name === 'Boolean')
        return `typeof ${v} === "${node.name.toLowerCase()}"`;
      return `${ref(SCALAR_CHECKS[node.name])}(${v})`;
    case 'literal':
      return literalTest(node.values, v);
    case 'any':
      return 'true';
    case 'nullable':
      return `(${v} === null || ${inlineTest(node.inner, v, ref)})`;
    default:
      return `${ref(fastCheck(node))}(${v})`;
  }
}

/**
 * A model's check as one generated function. Keys the ajv code would read through the prototype
 * (`constructor`, `toString`, `__proto__`, …) leave the model to its ajv check.
 */
function modelCheck(node: ModelNode): Check {
  if (node.fields.some((field) => field.name in Object.prototype)) return authority(node);
  const optional = node.fields.filter((field) => field.optional);
  const walked = optional.length > UNROLLED_OPTIONAL ? optional : [];
  const byName = node.fields.filter((field) => !walked.includes(field));
  return generate((ref) => {
    const lines = [
      'if (typeof value !== "object" || value === null) return false;',
      'const proto = Object.getPrototypeOf(value);',
      'if (proto !== Object.prototype && proto !== null) return false;',
      // A state view (a Proxy) is read as its plain copy, not through its traps.
      `value = ${ref(unwrapView)}(value);`,
      'let v;',
    ];
    for (const field of byName) {
      lines.push(`v = value[${JSON.stringify(field.name)}];`);
      const test = inlineTest(field.node, 'v', ref);
      lines.push(field.optional ? `if (v !== undefined && !(${test})) return false;` : `if (v === undefined || !(${test})) return false;`);
    }
    if (walked.length > 0) {
      const checks = dictionary(walked.map((field) => [field.name, fastCheck(field.node)]));
      const named = dictionary(byName.map((field) => [field.name, true]));
      lines.push(
        `const checks = ${ref(checks)}, named = ${ref(named)};`,
        'for (const k in value) {',
        '  const check = checks[k];',
        '  if (check === undefined) { if (named[k] !== true) return false; continue; }',
        '  v = value[k];',
        '  if (v !== undefined && !check(v)) return false;',
        '}',
      );
    } else if (byName.length <= UNROLLED_OPTIONAL) {
      const known = byName.map((field) => `k === ${JSON.stringify(field.name)}`).join(' || ') || 'false';
      lines.push(`for (const k in value) if (!(${known})) return false;`);
    } else {
      lines.push(
        `const named = ${ref(dictionary(byName.map((field) => [field.name, true])))};`,
        'for (const k in value) if (named[k] !== true) return false;',
      );
    }
    lines.push('return true;');
    return lines.join('\n');
  });
}

function dictionary<T>(entries: [string, T][]): Record<string, T> {
  const object: Record<string, T> = Object.create(null);
  for (const [key, value] of entries) object[key] = value;
  return object;
}

/** Compiles `body` (the code of `function (value)`; `ref` makes a value a constant it can use) once. */
function generate(body: (ref: (value: unknown) => string) => string): Check {
  const refs: unknown[] = [];
  const code = body((value) => `r${refs.push(value) - 1}`);
  const constants = refs.map((_value, i) => `const r${i} = r[${i}];`).join('\n');
  return new Function('r', `"use strict";\n${constants}\nreturn function check(value) {\n${code}\n};`)(refs) as Check;
}
