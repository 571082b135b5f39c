/** fast-check arbitraries of sendable values and the value each one decodes to (test support). */
import fc from 'fast-check';
import { Decimal } from '../types/decimal.js';
import { UUID } from '../types/uuid.js';
import { RESERVED_KEYS } from './markers.js';

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Object keys: any unicode text except the reserved marker/`__proto__` keys. */
export const keyArb = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((key) => !RESERVED_KEYS.has(key));

/** Decimals with up to ~40 digits and exponents on both sides, plus the special values. */
export const decimalArb = fc.oneof(
  fc
    .tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: -40, max: 40 }))
    .map(([digits, exp]) => new Decimal(`${digits}e${exp}`)),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1.50', '0.000000100').map((text) => new Decimal(text)),
);

/** Dates in Python's datetime range, millisecond precision. */
export const dateArb = fc.date({
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

/** Leaves: every scalar the wire carries. */
export const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  decimalArb,
  fc.uuid().map((text) => new UUID(text)),
  dateArb,
  fc.uint8Array({ maxLength: 40 }),
);

const mapKeyArb = fc.oneof(
  keyArb,
  fc.integer(),
  decimalArb,
  fc.uuid().map((text) => new UUID(text)),
);

function wireKeyForm(key: unknown): string {
  return typeof key === 'number' ? `n:${key}` : `s:${String(key)}`;
}

/** Nested values: objects (some with `undefined` properties), arrays, Sets and Maps of leaves. */
export const valueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('object'), tie('array'), tie('set'), tie('map')),
  object: fc.dictionary(keyArb, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 6 }),
  array: fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 6 }),
  set: fc.array(leafArb, { maxLength: 5 }).map((items) => new Set(items)),
  map: fc
    .uniqueArray(fc.tuple(mapKeyArb, tie('value')), { maxLength: 5, selector: ([key]) => wireKeyForm(key) })
    .map((entries) => new Map(entries)),
})).value;

/** What `value` is after a trip over the wire (the oracle of the round-trip properties). */
export function afterTrip(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : afterTrip(item)));
  if (value instanceof Set) return new Set([...value].map((item) => (item === undefined ? null : afterTrip(item))));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) if (item !== undefined) out[String(key)] = afterTrip(item);
    return out;
  }
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Decimal || value instanceof UUID || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = afterTrip(item);
  return out;
}
