/**
 * Wire value → JS value, in place on the freshly decoded tree: marker maps become Decimal, Set,
 * UUID and Date; int64 values that fit a JS number become numbers (larger ones stay bigint);
 * bytes become a copied, plain `Uint8Array`; MessagePack timestamps (not sent by Python) become
 * Dates. Other MessagePack extension types, malformed markers and nesting deeper than
 * WIRE_MAX_DEPTH fault.
 *
 * Map keys: strings stay; integers and floats become their decimal string (JS object keys are
 * strings); a Decimal/UUID/datetime marker used as a key (Python packs a Decimal dict key that
 * way) becomes its string form, as our encoder sends such keys. Other keys (nil, booleans,
 * bytes, arrays, other maps) are refused.
 */
import { DATETIME_MARKER, DECIMAL_MARKER, SET_MARKER, scalarFromMarker, UUID_MARKER, valueFromMarker, WIRE_MAX_DEPTH } from './markers.js';
import { formatWireDate } from './datetime.js';
import { throughSegment, WireFault } from './wire-path.js';

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

function isMarker(key: string): boolean {
  return key === DECIMAL_MARKER || key === SET_MARKER || key === UUID_MARKER || key === DATETIME_MARKER;
}

/** Converts a decoded value found inside `depth` containers to its JS form; throws WireFault. */
export function fromWire(value: unknown, depth: number): unknown {
  if (typeof value === 'bigint') return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  const level = depth + 1;
  if (Array.isArray(value)) {
    if (level > WIRE_MAX_DEPTH) throw tooDeep();
    return arrayFromWire(value, level);
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    if (level > WIRE_MAX_DEPTH) throw tooDeep();
    return mapFromWire(value as Record<string, unknown>, level);
  }
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Date) return value;
  const type = (value as { type?: unknown }).type;
  throw new WireFault(
    `MessagePack extension type ${String(type)} is not part of the wire format`,
    'Send plain MessagePack with the SPEC §4 markers',
  );
}

function tooDeep(): WireFault {
  return new WireFault(`Value nests deeper than ${WIRE_MAX_DEPTH} levels`, 'The sender must flatten the value');
}

function arrayFromWire(value: unknown[], level: number): unknown[] {
  let i = 0;
  try {
    for (; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'object' || typeof item === 'bigint') {
        const converted = fromWire(item, level);
        if (converted !== item) value[i] = converted;
      }
    }
  } catch (error) {
    throw throughSegment(error, i);
  }
  return value;
}

function mapFromWire(value: Record<string, unknown>, level: number): unknown {
  let marker: string | undefined;
  let count = 0;
  let key = '';
  try {
    for (key in value) {
      count++;
      if (key.charCodeAt(0) === 95 && isMarker(key)) {
        if (marker !== undefined)
          throw new WireFault(`A map holds two markers, ${marker} and ${key}`, 'The sender must use one marker per map');
        marker = key;
      }
      const item = value[key];
      if (typeof item === 'object' || typeof item === 'bigint') {
        const converted = fromWire(item, level);
        if (converted !== item) value[key] = converted;
      }
    }
  } catch (error) {
    throw throughSegment(error, key);
  }
  return marker === undefined ? value : valueFromMarker(value, marker, count);
}

/**
 * The string form of a Decimal/UUID/datetime marker map as decoded (`"1.5"`, the lower-case UUID,
 * the ISO-8601 text), or `undefined` when `value` is not such a map; throws WireFault if malformed.
 */
export function scalarMarkerText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const map = value as Record<string, unknown>;
  let marker: string | undefined;
  let count = 0;
  for (const name in map) {
    count++;
    if (name === DECIMAL_MARKER || name === UUID_MARKER || name === DATETIME_MARKER) marker = name;
  }
  if (marker === undefined) return undefined;
  const scalar = scalarFromMarker(map, marker, count);
  if (scalar instanceof Date) return formatWireDate(scalar) ?? scalar.toISOString();
  return String(scalar);
}

/** Turns a decoded map key into a JS object key (see the module comment); throws WireFault. */
export function mapKeyFromWire(key: unknown): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  if (typeof key === 'bigint') return String(key);
  const text = scalarMarkerText(key);
  if (text !== undefined) return text;
  const type =
    key === null ? 'nil' : key instanceof Uint8Array ? 'bin' : Array.isArray(key) ? 'array' : typeof key === 'object' ? 'map' : typeof key;
  throw new WireFault(`A map key of type ${type} is not supported`, 'Map keys must be strings, numbers, or Decimal/UUID/datetime markers');
}
