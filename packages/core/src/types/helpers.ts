/**
 * Helpers for the argument types that JS literals cannot say. Each returns a frozen object
 * branded with {@link SPEC_KIND}, so it is never mistaken for a nested model.
 */
import {
  type AnySpec,
  type Literal,
  type LiteralSpec,
  type MapSpec,
  type NullableSpec,
  type OptionalSpec,
  SPEC_KIND,
  type SchemaSpec,
  type SecretSpec,
  type SetSpec,
  type TupleSpec,
  type TypeSpec,
} from './spec.js';

/**
 * A map from K to V, like the seed's `{Decimal: Decimal}`. Accepted values:
 * - a JS `Map` whose every key matches K and every value matches V;
 * - a plain object whose every own key, as a string, reads as K and whose every value matches V.
 *   A key reads as K when K is `String` or `any()` (any key), `Number` (a decimal number such as
 *   `-1.5e3`), `BigInt` (an integer), `Decimal` (a decimal number), `UUID` (a UUID string),
 *   `Boolean` (`true`/`false`), `Date` (an ISO-8601 date), `oneOf(...)` (one of the values as
 *   text) or `jsonSchema(...)` (the key string matches the schema). Other key types only accept a
 *   `Map` (and the empty object). The wire decoder yields plain objects for string-keyed maps,
 *   which is why both forms pass; the value is checked, never converted.
 */
export function mapOf<const K extends TypeSpec, const V extends TypeSpec>(key: K, value: V): MapSpec<K, V> {
  return Object.freeze({ [SPEC_KIND]: 'map' as const, key, value });
}

/** An array with exactly one value per listed type, in order: `tupleOf(String, Number)`. */
export function tupleOf<const Items extends readonly TypeSpec[]>(...items: Items): TupleSpec<Items> {
  return Object.freeze({ [SPEC_KIND]: 'tuple' as const, items: Object.freeze([...items]) as unknown as Items });
}

/** A JS `Set` whose every element matches T (the seed's `{str}`). */
export function setOf<const T extends TypeSpec>(item: T): SetSpec<T> {
  return Object.freeze({ [SPEC_KIND]: 'set' as const, item });
}

/** Exactly one of the listed values (compared with `===`): `oneOf('buy', 'sell')`. */
export function oneOf<const Values extends readonly Literal[]>(...values: Values): LiteralSpec<Values> {
  return Object.freeze({ [SPEC_KIND]: 'literal' as const, values: Object.freeze([...values]) as unknown as Values });
}

/** A key of a nested model (or argument model) that may be absent; when present it must match T. */
export function optional<const T extends TypeSpec>(inner: T): OptionalSpec<T> {
  return Object.freeze({ [SPEC_KIND]: 'optional' as const, inner });
}

/** T or `null`. */
export function nullable<const T extends TypeSpec>(inner: T): NullableSpec<T> {
  return Object.freeze({ [SPEC_KIND]: 'nullable' as const, inner });
}

/**
 * A T whose value never reaches the logs: checked like T, and the runner's logger writes
 * `[redacted]` in its place (config keys: `config_model: { optional: { api_token: secret(String) } }`).
 * Inside a model, an optional secret is `optional(secret(T))`.
 */
export function secret<const T extends TypeSpec>(inner: T): SecretSpec<T> {
  return Object.freeze({ [SPEC_KIND]: 'secret' as const, inner });
}

/** Any value, unchecked. */
export function any(): AnySpec {
  return ANY;
}

const ANY: AnySpec = Object.freeze({ [SPEC_KIND]: 'any' as const });

/**
 * A raw JSON Schema (draft-07, checked by ajv) for anything the other forms cannot say. Give the
 * TypeScript type of a matching value as `T` to have handlers typed: `jsonSchema<string>({ type: 'string', minLength: 3 })`.
 */
export function jsonSchema<T = unknown>(schema: Readonly<Record<string, unknown>> | boolean): SchemaSpec<T> {
  return Object.freeze({ [SPEC_KIND]: 'schema' as const, schema });
}
