import type { Decimal } from './decimal.js';
import type { UUID } from './uuid.js';

/** Marks the objects made by the type helpers (`mapOf`, `setOf`, …) so they differ from nested models. */
export const SPEC_KIND: unique symbol = Symbol.for('@sf/core/spec-kind');

/** A constructor that names a scalar argument type. */
export type ScalarConstructor =
  | StringConstructor
  | NumberConstructor
  | BooleanConstructor
  | BigIntConstructor
  | DateConstructor
  | Uint8ArrayConstructor
  | ObjectConstructor
  | FunctionConstructor
  | typeof Decimal
  | typeof UUID;

/** A value `oneOf(...)` can list. */
export type Literal = string | number | boolean | null;

/** `mapOf(K, V)`: a `Map` (or string-keyed plain object) from K to V. */
export interface MapSpec<K extends TypeSpec = TypeSpec, V extends TypeSpec = TypeSpec> {
  /** Made by `mapOf`. */
  readonly [SPEC_KIND]: 'map';
  /** Type of the keys. */
  readonly key: K;
  /** Type of the values. */
  readonly value: V;
}

/** `tupleOf(A, B, …)`: an array of fixed length with one type per position. */
export interface TupleSpec<Items extends readonly TypeSpec[] = readonly TypeSpec[]> {
  /** Made by `tupleOf`. */
  readonly [SPEC_KIND]: 'tuple';
  /** Type of each position. */
  readonly items: Items;
}

/** `setOf(T)`: a JS `Set` of T. */
export interface SetSpec<T extends TypeSpec = TypeSpec> {
  /** Made by `setOf`. */
  readonly [SPEC_KIND]: 'set';
  /** Type of the elements. */
  readonly item: T;
}

/** `oneOf('a', 'b', 1)`: exactly one of the listed values. */
export interface LiteralSpec<Values extends readonly Literal[] = readonly Literal[]> {
  /** Made by `oneOf`. */
  readonly [SPEC_KIND]: 'literal';
  /** The allowed values. */
  readonly values: Values;
}

/** `optional(T)`: a key of a nested model that may be absent. */
export interface OptionalSpec<T extends TypeSpec = TypeSpec> {
  /** Made by `optional`. */
  readonly [SPEC_KIND]: 'optional';
  /** Type of the value when present. */
  readonly inner: T;
}

/** `nullable(T)`: T or `null`. */
export interface NullableSpec<T extends TypeSpec = TypeSpec> {
  /** Made by `nullable`. */
  readonly [SPEC_KIND]: 'nullable';
  /** Type of the value when not null. */
  readonly inner: T;
}

/** `secret(T)`: a T that is never written to logs (config keys, keys, passwords). */
export interface SecretSpec<T extends TypeSpec = TypeSpec> {
  /** Made by `secret`. */
  readonly [SPEC_KIND]: 'secret';
  /** Type of the value. */
  readonly inner: T;
}

/** `any()`: any value at all. */
export interface AnySpec {
  /** Made by `any`. */
  readonly [SPEC_KIND]: 'any';
}

/** `jsonSchema<T>({...})`: a raw JSON Schema (draft-07) for anything the other forms cannot say. */
export interface SchemaSpec<T = unknown> {
  /** Made by `jsonSchema`. */
  readonly [SPEC_KIND]: 'schema';
  /** The raw schema. */
  readonly schema: Readonly<Record<string, unknown>> | boolean;
  /** Type-level only: the TypeScript type of a matching value. */
  readonly __type?: T;
}

/** A type made by one of the helpers in `helpers.ts`. */
export type HelperSpec = MapSpec | TupleSpec | SetSpec | LiteralSpec | OptionalSpec | NullableSpec | SecretSpec | AnySpec | SchemaSpec;

/** A nested model: every key is required unless wrapped in `optional(...)`. */
export interface NestedSpec {
  readonly [key: string]: TypeSpec;
}

/** Any argument type: a constructor, `[T]` (list of T), a nested model, or a helper's result. */
export type TypeSpec = ScalarConstructor | readonly [TypeSpec] | NestedSpec | HelperSpec;

/** Argument name → argument type, as in `required_arguments: { order_id: String }`. */
export type KeyedModel = Readonly<Record<string, TypeSpec>>;

/**
 * An argument model: declared keys (`{ order_id: String }`), or `mapOf(K, V)` for any number of keys
 * of type K (as text on the wire), each value a V — the seed's `{str: int}` at the top level.
 */
export type ArgumentModel = KeyedModel | MapSpec;
