/**
 * The runtime checks behind each constructor type, shared by the ajv keywords. A value matches
 * - `String`, `Number`, `Boolean`: its `typeof` (Number accepts every JS number, NaN and ±Infinity
 *   included, as the wire carries IEEE floats);
 * - `BigInt`: a bigint, or a safe integer number (the wire decoder yields numbers for small
 *   integers, so a Python `int` passes either way);
 * - `Date`: a valid `Date`; `Uint8Array`: any Uint8Array, Node `Buffer` included;
 * - `Object`: a plain object (object literal or `Object.create(null)`), not an array, Map or class instance;
 * - `Function`: any function; `Decimal`: a decimal.js Decimal; `UUID`: a {@link UUID}.
 */
import { isPlainObject } from '../util/describe-value.js';
import { Decimal } from './decimal.js';
import { UUID } from './uuid.js';

/** Names of the constructor types, as written in models. */
export type ScalarName = 'String' | 'Number' | 'Boolean' | 'BigInt' | 'Date' | 'Uint8Array' | 'Object' | 'Function' | 'Decimal' | 'UUID';

/** Constructor → its name, for the constructors allowed as types. */
export const SCALAR_NAMES: ReadonlyMap<unknown, ScalarName> = new Map<unknown, ScalarName>([
  [String, 'String'],
  [Number, 'Number'],
  [Boolean, 'Boolean'],
  [BigInt, 'BigInt'],
  [Date, 'Date'],
  [Uint8Array, 'Uint8Array'],
  [Object, 'Object'],
  [Function, 'Function'],
  [Decimal, 'Decimal'],
  [UUID, 'UUID'],
]);

/** What decimal.js's `isDecimal` also accepts: the tag every Decimal inherits (read once; absent in other versions). */
const DECIMAL_TAG: unknown = (Decimal.prototype as { toStringTag?: unknown }).toStringTag;

/**
 * `Decimal.isDecimal`, answering from the inherited tag first: a property read, where the
 * `instanceof Decimal` it starts with costs several times more (its constructor is a large object).
 */
function isDecimal(value: unknown): boolean {
  if (
    DECIMAL_TAG !== undefined &&
    typeof value === 'object' &&
    value !== null &&
    (value as { toStringTag?: unknown }).toStringTag === DECIMAL_TAG
  )
    return true;
  return Decimal.isDecimal(value);
}

/** Instance checks of the constructor types that JSON Schema's `type` cannot express. */
export const INSTANCE_CHECKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  BigInt: (value) => typeof value === 'bigint' || Number.isSafeInteger(value),
  Date: (value) => value instanceof Date && !Number.isNaN(value.getTime()),
  Uint8Array: (value) => value instanceof Uint8Array,
  Object: isPlainObject,
  Function: (value) => typeof value === 'function',
  Decimal: isDecimal,
  UUID: (value) => value instanceof UUID,
};

/** The check of every constructor type (the same as the compiled schema's, without compiling one). */
export const SCALAR_CHECKS: Readonly<Record<ScalarName, (value: unknown) => boolean>> = {
  String: (value) => typeof value === 'string',
  Number: (value) => typeof value === 'number',
  Boolean: (value) => typeof value === 'boolean',
  BigInt: INSTANCE_CHECKS.BigInt!,
  Date: INSTANCE_CHECKS.Date!,
  Uint8Array: INSTANCE_CHECKS.Uint8Array!,
  Object: INSTANCE_CHECKS.Object!,
  Function: INSTANCE_CHECKS.Function!,
  Decimal: INSTANCE_CHECKS.Decimal!,
  UUID: INSTANCE_CHECKS.UUID!,
};

/** Regular-expression sources for the text form of map keys (plain-object maps), per key type. */
export const KEY_PATTERNS: Readonly<Partial<Record<ScalarName, string>>> = {
  Number: '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$',
  BigInt: '^-?(0|[1-9][0-9]*)$',
  Decimal: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$',
  UUID: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  Date: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$',
};
