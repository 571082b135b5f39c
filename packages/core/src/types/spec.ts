import type { Decimal } from './decimal.js';
import type { UUID } from './uuid.js';

/** Marks the objects made by the type helpers (`listOf`, `mapOf`, `setOf`, …) so they differ from nested models. */
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

/** A type made by one of the helpers in `helpers.ts`. */
export interface HelperSpec {
  /** Which helper made it. */
  readonly [SPEC_KIND]: 'map' | 'tuple' | 'set' | 'literal' | 'optional' | 'any' | 'schema' | 'nullable';
}

/** A nested model: every key is required unless wrapped in `optional(...)`. */
export interface NestedSpec {
  readonly [key: string]: TypeSpec;
}

/** Any argument type: a constructor, `[T]` (list of T), a nested model, or a helper's result. */
export type TypeSpec = ScalarConstructor | readonly [TypeSpec] | NestedSpec | HelperSpec;

/** Argument name → argument type, as in `required_arguments`. */
export type ArgumentModel = Readonly<Record<string, TypeSpec>>;
