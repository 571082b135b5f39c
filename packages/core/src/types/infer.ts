/** Type-level inference: the TypeScript type of a value that matches a {@link TypeSpec}. */
import type { Decimal } from './decimal.js';
import type {
  AnySpec,
  LiteralSpec,
  MapSpec,
  NullableSpec,
  OptionalSpec,
  SchemaSpec,
  SecretSpec,
  SetSpec,
  TupleSpec,
  TypeSpec,
} from './spec.js';
import type { UUID } from './uuid.js';

/** Flattens an intersection into one object type, for readable hovers and exact comparisons. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The type of a value matching spec `S` (`Infer<typeof Decimal>` is `Decimal`, `Infer<[String]>` is `string[]`). */
export type Infer<S> = [TypeSpec] extends [S]
  ? unknown
  : S extends OptionalSpec<infer T>
    ? Infer<T>
    : S extends SecretSpec<infer T>
      ? Infer<T>
      : S extends NullableSpec<infer T>
        ? Infer<T> | null
        : S extends MapSpec<infer K, infer V>
          ? Map<Infer<K>, Infer<V>> | Record<string, Infer<V>>
          : S extends TupleSpec<infer Items>
            ? { -readonly [I in keyof Items]: Infer<Items[I]> }
            : S extends SetSpec<infer T>
              ? Set<Infer<T>>
              : S extends LiteralSpec<infer Values>
                ? Values[number]
                : S extends AnySpec
                  ? unknown
                  : S extends SchemaSpec<infer T>
                    ? T
                    : InferBasic<S>;

type InferBasic<S> = S extends StringConstructor
  ? string
  : S extends NumberConstructor
    ? number
    : S extends BooleanConstructor
      ? boolean
      : S extends BigIntConstructor
        ? bigint | number
        : S extends DateConstructor
          ? Date
          : S extends Uint8ArrayConstructor
            ? Uint8Array
            : S extends typeof Decimal
              ? Decimal
              : S extends typeof UUID
                ? UUID
                : S extends FunctionConstructor
                  ? (...args: any[]) => unknown
                  : S extends ObjectConstructor
                    ? Record<string, unknown>
                    : S extends readonly [infer T]
                      ? Infer<T>[]
                      : S extends readonly (infer T)[]
                        ? Infer<T>[]
                        : S extends object
                          ? InferModel<S>
                          : never;

type OptionalKeys<M> = { [K in keyof M]-?: M[K] extends OptionalSpec<any> ? K : never }[keyof M];

type ModelParts<M, Optional extends boolean> = {
  -readonly [K in keyof M as K extends string ? (Optional extends true ? K : K extends OptionalKeys<M> ? never : K) : never]: Infer<M[K]>;
};

/** The type of a nested model: its keys required, except those wrapped in `optional(...)`. */
export type InferModel<M> = string extends keyof M
  ? Record<string, unknown>
  : Simplify<ModelParts<M, false> & { [K in keyof ModelParts<M, true> as K extends OptionalKeys<M> ? K : never]?: ModelParts<M, true>[K] }>;

type NoKeysAsEmpty<T> = [keyof T] extends [never] ? Record<string, never> : T;

/**
 * The arguments object described by a required and an optional argument model (either may be
 * absent or `null`): required keys as required properties, optional ones as optional properties.
 * With no keys at all it is `Record<string, never>` (an empty object). A top-level `mapOf(K, V)`
 * gives `Record<string, V>`: its keys are text on the wire, whatever K.
 */
export type InferArguments<Required, Optional = undefined> = MapSpec extends Required | Optional
  ? Record<string, unknown>
  : [Required] extends [MapSpec<any, infer V>]
    ? Record<string, Infer<V>>
    : [Optional] extends [MapSpec<any, infer V>]
      ? Record<string, Infer<V>>
      : InferKeyed<Required, Optional>;

type InferKeyed<Required, Optional> = NoKeysAsEmpty<
  Simplify<
    (Required extends object ? InferModel<Required> : {}) &
      (Optional extends object
        ? string extends keyof Optional
          ? Record<string, unknown>
          : { -readonly [K in keyof Optional as K extends string ? K : never]?: Infer<Optional[K]> }
        : {})
  >
>;
