/**
 * The JSON forms of values, for transports that carry JSON instead of MessagePack (an HTTP front
 * door). JSON has no Decimal, UUID, Date, set or bytes, so each gets one documented form, and the
 * model says which form a value takes (a string is a Decimal where the model says Decimal):
 *
 * | type | JSON form |
 * | --- | --- |
 * | Decimal | a string of decimal text, `"1.50"` (every digit kept) |
 * | UUID | its string, `"123e4567-e89b-12d3-a456-426614174000"` |
 * | Date | an ISO-8601 string; sent as `"2024-01-02T03:04:05.000000+00:00"` (Python's `isoformat()`, as on the wire) |
 * | setOf(T) | an array of T's forms |
 * | Uint8Array | a base64 string (RFC 4648, padded) |
 * | BigInt | a JSON integer; beyond ±2^53 a string of digits (sent the same way) |
 * | Number | a JSON number; NaN and ±Infinity, which JSON cannot hold, are sent as `"NaN"`, `"Infinity"`, `"-Infinity"` |
 * | mapOf(K, V) | an object: keys as text (as for a plain-object map), values in V's form |
 *
 * Reading is led by the model (`valueFromJson`), writing by the value (`jsonFromValue`). Reading
 * converts only what has its JSON form; anything else is left for the model's check to report.
 */
import { ValidationError } from '../errors.js';
import type { ModelNode, MapNode, SpecNode } from '../types/spec-node.js';
import { Decimal } from '../types/decimal.js';
import { UUID } from '../types/uuid.js';
import { isPlainObject } from '../util/describe-value.js';
import { plainOf } from '../util/state-view.js';
import { quoteText } from '../util/quote-text.js';
import { formatWireDate, parseWireDate } from './datetime.js';
import { dateText, decimalFromText, decimalText, MARKER_TEXT_MAX, WIRE_MAX_DEPTH } from './markers.js';
import { INT64_MIN, SAFE_MAX, SAFE_MIN, UINT64_MAX } from './to-wire.js';
import { formatPath, throughSegment, WireFault } from './wire-path.js';
import { EncodeError } from '../errors.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INTEGER_TEXT = /^-?(?:0|[1-9][0-9]{0,19})$/;

/** The JSON form each scalar type expects, for error messages. */
const EXPECTED: Readonly<Record<string, string>> = {
  Decimal: 'a decimal string such as "1.50"',
  UUID: 'a UUID string such as "123e4567-e89b-12d3-a456-426614174000"',
  Date: 'an ISO-8601 date-time string such as "2024-01-02T03:04:05Z"',
  Uint8Array: 'a base64 string',
  BigInt: 'an integer, or a string of digits',
};

/**
 * `json` (as `JSON.parse` gave it) read as a value of the model `node`: Decimal, UUID, Date, bytes
 * and big integers from their JSON forms, sets from arrays. Throws a ValidationError naming the
 * argument path (`root` first, e.g. `args.order.price`) for a value that is not its type's JSON form.
 */
export function valueFromJson(json: unknown, node: ModelNode | MapNode | SpecNode, root: string): unknown {
  try {
    return fromJson(json, node);
  } catch (error) {
    if (!(error instanceof FormFault)) throw error;
    const detail = { expected: error.expected, received: error.received };
    throw new ValidationError('Not in its JSON form', detail, { argument: formatPath(root, error.segments), hint: error.hint });
  }
}

/** A JSON value that is not the form its type expects. */
class FormFault extends WireFault {
  constructor(
    readonly expected: string,
    readonly received: string,
  ) {
    super('Not in its JSON form', 'Decimal, UUID, Date and bytes are strings in JSON (docs/plugins.md, "JSON forms")');
  }
}

function fault(name: string, json: unknown): FormFault {
  const received =
    typeof json === 'string'
      ? `the string ${quoteText(json, 40)}`
      : json === null
        ? 'null'
        : Array.isArray(json)
          ? 'an array'
          : typeof json;
  return new FormFault(EXPECTED[name] ?? name, received);
}

function fromJson(json: unknown, node: SpecNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return scalarFromJson(json, node.name);
    case 'nullable':
      return json === null ? null : fromJson(json, node.inner);
    case 'list':
      return Array.isArray(json) ? json.map((item, i) => within(item, node.item, i)) : json;
    case 'set':
      return Array.isArray(json) ? new Set(json.map((item, i) => within(item, node.item, i))) : json;
    case 'tuple':
      return Array.isArray(json) ? json.map((item, i) => (i < node.items.length ? within(item, node.items[i]!, i) : item)) : json;
    case 'map': {
      if (!isPlainObject(json)) return json;
      const out: Record<string, unknown> = {};
      for (const key in json) out[key] = within(json[key], node.value, key);
      return out;
    }
    case 'model': {
      if (!isPlainObject(json)) return json;
      const out: Record<string, unknown> = { ...json };
      for (const field of node.fields) if (field.name in json) out[field.name] = within(json[field.name], field.node, field.name);
      return out;
    }
    default:
      return json;
  }
}

function within(json: unknown, node: SpecNode, segment: string | number): unknown {
  try {
    return fromJson(json, node);
  } catch (error) {
    throw throughSegment(error, segment);
  }
}

function scalarFromJson(json: unknown, name: string): unknown {
  switch (name) {
    case 'Decimal': {
      const value = typeof json === 'string' && json.length <= MARKER_TEXT_MAX ? decimalFromText(json) : undefined;
      if (value === undefined) throw fault(name, json);
      return value;
    }
    case 'UUID':
      try {
        if (typeof json === 'string') return new UUID(json);
      } catch {}
      throw fault(name, json);
    case 'Date': {
      const date = typeof json === 'string' && json.length <= MARKER_TEXT_MAX ? parseWireDate(json) : undefined;
      if (date === undefined) throw fault(name, json);
      return date;
    }
    case 'Uint8Array':
      if (typeof json !== 'string' || !BASE64.test(json)) throw fault(name, json);
      return new Uint8Array(Buffer.from(json, 'base64'));
    case 'BigInt': {
      if (typeof json === 'number') return json;
      if (typeof json !== 'string' || !INTEGER_TEXT.test(json)) throw fault(name, json);
      const value = BigInt(json);
      if (value < INT64_MIN || value > UINT64_MAX) throw fault(name, json);
      return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
    }
    default:
      return json;
  }
}

/**
 * `value` (args or return args as a handler has them) in JSON form, ready for `JSON.stringify`.
 * Throws an EncodeError naming the path (under `root`) of what has no JSON form (a function, a class instance).
 */
export function jsonFromValue(value: unknown, root: string): unknown {
  try {
    return toJson(value, 0);
  } catch (error) {
    if (!(error instanceof WireFault)) throw error;
    throw new EncodeError(`Cannot write the value as JSON: ${error.message}`, {
      argument: formatPath(root, error.segments),
      hint: error.hint,
      cause: error,
    });
  }
}

function toJson(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : String(value);
    case 'object':
      return value === null ? null : objectToJson(value, depth + 1);
    case 'undefined':
      return null;
    default:
      throw new WireFault(`A ${typeof value} has no JSON form`, 'Return only data');
  }
}

function objectToJson(value: object, depth: number): unknown {
  if (depth > WIRE_MAX_DEPTH)
    throw new WireFault(`Value nests deeper than ${WIRE_MAX_DEPTH} levels (or contains a cycle)`, 'Flatten the value');
  if (Array.isArray(value)) return value.map((item, i) => inside(item, depth, i));
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    // A state view (a Proxy) is read as its plain copy, not walked through its traps.
    const plain = plainOf(value) ?? (value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const key in plain) {
      const item = plain[key];
      if (item !== undefined) out[key] = inside(item, depth, key);
    }
    return out;
  }
  if (value instanceof Decimal || Decimal.isDecimal(value)) return decimalText(value as Decimal);
  if (value instanceof UUID) return value.value;
  if (value instanceof Date) return formatWireDate(value) ?? dateText(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Set) return [...value].map((item, i) => inside(item, depth, i));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) {
      const text = typeof key === 'string' ? key : String(toJson(key, depth));
      if (item !== undefined) out[text] = inside(item, depth, text);
    }
    return out;
  }
  const name = (value as { constructor?: { name?: string } }).constructor?.name || 'an unknown class';
  throw new WireFault(`An instance of ${name} has no JSON form`, 'Return a plain object with its data instead');
}

function inside(value: unknown, depth: number, segment: string | number): unknown {
  try {
    return toJson(value, depth);
  } catch (error) {
    throw throughSegment(error, segment);
  }
}
