/** Human text for "expected …" (a type) and "received …" (a value) in validation errors. */
import { isPlainObject } from '../util/describe-value.js';
import { clipText, quoteText } from '../util/quote-text.js';
import { Decimal } from './decimal.js';
import { type ArgumentModelPair, isMapModel } from './argument-model.js';
import type { TypeSpec } from './spec.js';
import { parseSpec, type SpecNode } from './spec-node.js';
import { UUID } from './uuid.js';

const MAX_MODEL_TEXT = 60;
const MAX_VALUE_TEXT = 40;

/** Human name of a type: `Decimal`, `list of String`, `one of 'buy' | 'sell'`, `{ price: Decimal, qty?: Number }`. */
export function describeSpec(spec: TypeSpec): string {
  return describeNode(parseSpec(spec, '', { allowFunctions: true }));
}

/** Human name of a parsed type. */
export function describeNode(node: SpecNode): string {
  switch (node.kind) {
    case 'scalar':
      return node.name === 'Object' ? 'Object (a plain object)' : node.name;
    case 'list':
      return `list of ${inner(node.item)}`;
    case 'set':
      return `set of ${inner(node.item)}`;
    case 'tuple':
      return `tuple [${node.items.map(describeNode).join(', ')}]`;
    case 'map':
      if (node.arguments)
        return `an object of ${inner(node.key)} keys (as text) to ${inner(node.value)}${node.nonEmpty ? ', at least one' : ''}`;
      return `map of ${inner(node.key)} to ${inner(node.value)}`;
    case 'literal':
      return node.values.length === 1 ? `exactly ${literalText(node.values[0]!)}` : `one of ${node.values.map(literalText).join(' | ')}`;
    case 'nullable':
      return `${inner(node.inner)} or null`;
    case 'any':
      return 'any value';
    case 'schema':
      return `a value matching JSON Schema ${truncate(JSON.stringify(node.schema), MAX_MODEL_TEXT)}`;
    case 'model': {
      if (node.fields.length === 0) return 'an empty object {}';
      const full = `{ ${node.fields.map((f) => `${f.name}${f.optional ? '?' : ''}: ${describeNode(f.node)}`).join(', ')} }`;
      if (full.length <= MAX_MODEL_TEXT) return full;
      return truncate(`an object with keys ${node.fields.map((f) => `${f.name}${f.optional ? '?' : ''}`).join(', ')}`, MAX_MODEL_TEXT * 2);
    }
  }
}

/**
 * Human text of an argument model pair: `{ order_id: String, note?: String }`, or for a top-level
 * map `{ [Decimal]: Decimal }` (`[Decimal]?` when optional).
 */
export function describeArguments(models: ArgumentModelPair): string {
  const parts: string[] = [];
  for (const side of ['required', 'optional'] as const) {
    const model = models[side];
    if (model === undefined || model === null) continue;
    const mark = side === 'optional' ? '?' : '';
    if (isMapModel(model)) parts.push(`[${describeSpec(model.key)}]${mark}: ${describeSpec(model.value)}`);
    else for (const [key, spec] of Object.entries(model)) parts.push(`${key}${mark}: ${describeSpec(spec)}`);
  }
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

function inner(node: SpecNode): string {
  const text = describeNode(node);
  return node.kind === 'nullable' || (node.kind === 'literal' && node.values.length > 1) ? `(${text})` : text;
}

function literalText(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** `text` cut to `max` characters, with `…` when cut. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Short text of what a value is: `string 'abc'`, `number 1.5`, `Decimal 1.50`, `array of 3 items`, `Buffer of 4 bytes`. */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `string ${quoteText(value, MAX_VALUE_TEXT, "'")}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${value}`;
    case 'bigint':
      return `bigint ${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return value.name ? `function ${value.name}` : 'a function';
  }
  if (Decimal.isDecimal(value)) return `Decimal ${clipText(value.toString(), MAX_VALUE_TEXT)}`;
  if (value instanceof UUID) return `UUID ${value.value}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `Date ${value.toISOString()}`;
  if (value instanceof Uint8Array) return `${value.constructor.name} of ${value.length} bytes`;
  if (Array.isArray(value)) return `array of ${count(value.length, 'item')}`;
  if (value instanceof Set) return `Set of ${count(value.size, 'item')}`;
  if (value instanceof Map) return `Map of ${count(value.size, 'entry', 'entries')}`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object {}';
    const shown = keys.slice(0, 4).join(', ');
    return `object { ${truncate(shown, MAX_VALUE_TEXT)}${keys.length > 4 ? ', …' : ''} }`;
  }
  return `an instance of ${(value as object).constructor?.name ?? 'an unknown class'}`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
