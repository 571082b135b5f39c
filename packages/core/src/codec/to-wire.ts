/**
 * JS value → wire value: the plain tree (maps, arrays, strings, numbers, bigints, booleans, nil,
 * bytes) that MessagePack encodes, with SPEC §4 markers for Decimal, Set, UUID and Date.
 *
 * Rules: `undefined` object properties and Map entries are dropped (as in JSON; send `null` to
 * mean nil); `undefined` in arrays and sets becomes nil. Integers beyond 32 bits become bigints so
 * they travel as MessagePack ints, not floats; bigints must fit int64/uint64. A Map's keys may be
 * strings, numbers, bigints, Decimals, UUIDs or Dates (the last three as their string form).
 * Bytes are `Uint8Array`s (Buffer included). Functions, symbols, other class instances, marker
 * or `__proto__` keys, and nesting deeper than WIRE_MAX_DEPTH (a cycle ends up there) fault.
 * Containers are copied only when something inside them changes.
 */
import { Decimal } from '../types/decimal.js';
import { UUID } from '../types/uuid.js';
import { plainOf } from '../util/state-view.js';
import {
  DATETIME_MARKER,
  DECIMAL_MARKER,
  dateText,
  decimalText,
  RESERVED_KEYS,
  SET_MARKER,
  UUID_MARKER,
  WIRE_MAX_DEPTH,
} from './markers.js';
import { throughSegment, WireFault } from './wire-path.js';

const INT32_MIN = -0x80000000;
const UINT32_MAX = 0xffffffff;
/** The integer range MessagePack carries (int64 to uint64), for BigInt values. */
export const INT64_MIN = -(2n ** 63n);
export const UINT64_MAX = 2n ** 64n - 1n;
/** BigInts in this range go as plain numbers. */
export const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
export const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const DECIMAL_PROTO: object = Decimal.prototype;

/** Converts `value`, found inside `depth` containers, to its wire form; throws WireFault. */
export function toWire(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isSafeInteger(value) && (value > UINT32_MAX || value < INT32_MIN) ? BigInt(value) : value;
    case 'bigint':
      return bigintToWire(value);
    case 'object':
      return value === null ? null : objectToWire(value, depth + 1);
    case 'undefined':
      throw new WireFault('undefined cannot be sent', 'Use null for nil, or leave the property out');
    default:
      throw new WireFault(
        `A ${typeof value} cannot be sent`,
        'Send only data: objects, arrays, strings, numbers, booleans, null, Decimal, UUID, Date, Set, Map, Uint8Array',
      );
  }
}

function bigintToWire(value: bigint): unknown {
  if (value >= SAFE_MIN && value <= SAFE_MAX) return Number(value);
  if (value < INT64_MIN || value > UINT64_MAX) {
    throw new WireFault(
      `Integer ${value} does not fit in 64 bits`,
      'MessagePack integers are int64 or uint64; send a Decimal for larger numbers',
    );
  }
  return value;
}

function tooDeep(): WireFault {
  return new WireFault(
    `Value nests deeper than ${WIRE_MAX_DEPTH} levels (or contains a cycle)`,
    'Flatten the value; a cycle cannot be sent',
  );
}

function objectToWire(value: object, level: number): unknown {
  if (level > WIRE_MAX_DEPTH) throw tooDeep();
  if (Array.isArray(value)) return arrayToWire(value, level);
  const proto = Object.getPrototypeOf(value);
  // A state view (a Proxy) is sent as its plain copy, not walked through its traps.
  if (proto === Object.prototype || proto === null) return plainToWire(plainOf(value) ?? (value as Record<string, unknown>), level);
  // Comparing the prototype first: `instanceof Decimal` alone costs several times more.
  if (proto === DECIMAL_PROTO || value instanceof Decimal) return { [DECIMAL_MARKER]: true, as_str: decimalText(value as Decimal) };
  if (value instanceof Uint8Array) return value;
  if (value instanceof UUID) return { [UUID_MARKER]: true, as_str: value.value };
  if (value instanceof Date) return { [DATETIME_MARKER]: true, as_str: dateText(value) };
  if (value instanceof Set) return { [SET_MARKER]: true, value: setToWire(value, level) };
  if (value instanceof Map) return mapToWire(value, level);
  if (Decimal.isDecimal(value)) return { [DECIMAL_MARKER]: true, as_str: decimalText(value) };
  const name = (value as { constructor?: { name?: string } }).constructor?.name || 'an unknown class';
  throw new WireFault(
    `An instance of ${name} cannot be sent`,
    ArrayBuffer.isView(value) || value instanceof ArrayBuffer ? 'Send bytes as a Uint8Array' : 'Send a plain object with its data instead',
  );
}

function arrayToWire(value: readonly unknown[], level: number): unknown[] {
  let out: unknown[] | undefined;
  let i = 0;
  try {
    for (; i < value.length; i++) {
      const item = value[i];
      const wire = item === undefined ? null : toWire(item, level);
      if (out !== undefined) out[i] = wire;
      else if (wire !== item) {
        out = value.slice(0, i);
        out[i] = wire;
      }
    }
  } catch (error) {
    throw throughSegment(error, i);
  }
  return out ?? (value as unknown[]);
}

function reservedKey(key: string): WireFault {
  return new WireFault(`Key ${JSON.stringify(key)} is reserved`, 'Rename the key: marker keys and __proto__ cannot be sent as data');
}

function plainToWire(value: Record<string, unknown>, level: number): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  let key = '';
  try {
    for (key in value) {
      if (key.charCodeAt(0) === 95 && RESERVED_KEYS.has(key)) throw reservedKey(key);
      const item = value[key];
      const wire = item === undefined ? undefined : toWire(item, level);
      if (out !== undefined) {
        if (wire !== undefined) out[key] = wire;
      } else if (wire !== item || item === undefined) {
        out = copyUntil(value, key);
        if (wire !== undefined) out[key] = wire;
      }
    }
  } catch (error) {
    throw throughSegment(error, key);
  }
  return out ?? value;
}

function copyUntil(value: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (key === stop) break;
    out[key] = value[key];
  }
  return out;
}

function setToWire(value: ReadonlySet<unknown>, level: number): unknown[] {
  if (level + 1 > WIRE_MAX_DEPTH) throw tooDeep();
  const out = new Array<unknown>(value.size);
  let i = 0;
  try {
    for (const item of value) {
      out[i] = item === undefined ? null : toWire(item, level + 1);
      i++;
    }
  } catch (error) {
    throw throughSegment(error, i);
  }
  return out;
}

function mapToWire(value: ReadonlyMap<unknown, unknown>, level: number): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  for (const [key, item] of value) {
    const wireKey = mapKeyToWire(key);
    const segment = typeof wireKey === 'bigint' ? String(wireKey) : wireKey;
    if (out.has(wireKey))
      throw new WireFault(
        `Two keys of a Map are both sent as ${JSON.stringify(segment)}`,
        'Make the Map keys distinct in their string form',
      );
    if (item === undefined) continue;
    try {
      out.set(wireKey, toWire(item, level));
    } catch (error) {
      throw throughSegment(error, segment);
    }
  }
  return out;
}

function mapKeyToWire(key: unknown): string | number | bigint {
  if (typeof key === 'string') {
    if (key.charCodeAt(0) === 95 && RESERVED_KEYS.has(key)) throw reservedKey(key);
    return key;
  }
  if (typeof key === 'number') return toWire(key, 0) as number | bigint;
  if (typeof key === 'bigint') return bigintToWire(key) as number | bigint;
  if (key instanceof Decimal || Decimal.isDecimal(key)) return decimalText(key as Decimal);
  if (key instanceof UUID) return key.value;
  if (key instanceof Date) return dateText(key);
  throw new WireFault(
    `A Map key of type ` +
      `${key === null ? 'null' : typeof key === 'object' ? (key.constructor?.name ?? 'object') : typeof key} cannot be sent`,
    'Use string, number, bigint, Decimal, UUID or Date keys',
  );
}
