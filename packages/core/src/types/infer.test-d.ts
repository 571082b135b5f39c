import { describe, expectTypeOf, it } from 'vitest';
import { Decimal } from './decimal.js';
import { any, jsonSchema, mapOf, nullable, oneOf, optional, secret, setOf, tupleOf } from './helpers.js';
import type { Infer, InferArguments } from './infer.js';
import type { ArgumentModel } from './spec.js';
import type { UUID } from './uuid.js';

describe('Infer', () => {
  it('maps constructors to their value types', () => {
    expectTypeOf<Infer<StringConstructor>>().toEqualTypeOf<string>();
    expectTypeOf<Infer<NumberConstructor>>().toEqualTypeOf<number>();
    expectTypeOf<Infer<BooleanConstructor>>().toEqualTypeOf<boolean>();
    expectTypeOf<Infer<BigIntConstructor>>().toEqualTypeOf<bigint | number>();
    expectTypeOf<Infer<DateConstructor>>().toEqualTypeOf<Date>();
    expectTypeOf<Infer<Uint8ArrayConstructor>>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<Infer<ObjectConstructor>>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<Infer<FunctionConstructor>>().toEqualTypeOf<(...args: any[]) => unknown>();
    expectTypeOf<Infer<typeof Decimal>>().toEqualTypeOf<Decimal>();
    expectTypeOf<Infer<typeof UUID>>().toEqualTypeOf<UUID>();
  });

  it('maps lists, helpers and nested models', () => {
    expectTypeOf<Infer<readonly [StringConstructor]>>().toEqualTypeOf<string[]>();
    expectTypeOf<Infer<StringConstructor[]>>().toEqualTypeOf<string[]>();
    const tuple = tupleOf(String, Number);
    expectTypeOf<Infer<typeof tuple>>().toEqualTypeOf<[string, number]>();
    const set = setOf(Number);
    expectTypeOf<Infer<typeof set>>().toEqualTypeOf<Set<number>>();
    const map = mapOf(String, Number);
    expectTypeOf<Infer<typeof map>>().toEqualTypeOf<Map<string, number> | Record<string, number>>();
    const side = oneOf('buy', 'sell', 1);
    expectTypeOf<Infer<typeof side>>().toEqualTypeOf<'buy' | 'sell' | 1>();
    const maybe = nullable(String);
    expectTypeOf<Infer<typeof maybe>>().toEqualTypeOf<string | null>();
    const anything = any();
    expectTypeOf<Infer<typeof anything>>().toEqualTypeOf<unknown>();
    const code = jsonSchema<`${number}`>({ type: 'string' });
    expectTypeOf<Infer<typeof code>>().toEqualTypeOf<`${number}`>();
    const model = { a: String, b: optional([Number]), c: { d: nullable(Boolean) } } as const;
    expectTypeOf<Infer<typeof model>>().toEqualTypeOf<{ a: string; b?: number[]; c: { d: boolean | null } }>();
  });

  it('InferArguments merges required and optional models', () => {
    type Args = InferArguments<{ id: StringConstructor }, { limit: NumberConstructor }>;
    expectTypeOf<Args>().toEqualTypeOf<{ id: string; limit?: number }>();
    expectTypeOf<InferArguments<null, undefined>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<InferArguments<{ n: NumberConstructor }, null>>().toEqualTypeOf<{ n: number }>();
  });
});

describe('Infer of secret(T)', () => {
  it('is the type of T, also inside optional()', () => {
    const token = secret(String);
    expectTypeOf<Infer<typeof token>>().toEqualTypeOf<string>();
    const model = { token: secret(Number), password: optional(secret(String)) };
    expectTypeOf<InferArguments<typeof model, undefined>>().toEqualTypeOf<{ token: number; password?: string }>();
  });
});

describe('InferArguments of a top-level mapOf(K, V)', () => {
  it('is Record<string, V> as required or optional model, whatever K', () => {
    const levels = mapOf(Decimal, nullable(Number));
    expectTypeOf<InferArguments<typeof levels, undefined>>().toEqualTypeOf<Record<string, number | null>>();
    expectTypeOf<InferArguments<null, typeof levels>>().toEqualTypeOf<Record<string, number | null>>();
    expectTypeOf<InferArguments<ArgumentModel, ArgumentModel>>().toEqualTypeOf<Record<string, unknown>>();
  });
});
