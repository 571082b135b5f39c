import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CompiledModel, compileArguments, compileModel } from './compile-arguments.js';
import { Decimal } from './decimal.js';
import { UNROLLED_OPTIONAL } from './fast-check.js';
import { any, jsonSchema, mapOf, nullable, oneOf, optional, setOf, tupleOf } from './helpers.js';
import type { ArgumentModel } from './spec.js';
import type { SpecNode } from './spec-node.js';
import { UUID } from './uuid.js';

const compile = (required: ArgumentModel | null, optionalArgs: ArgumentModel | null = null): CompiledModel =>
  compileModel({ required, optional: optionalArgs }, { root: 'args', allowFunctions: true });

const wide = (n: number, prefix: string): Record<string, typeof Number> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, Number]));

/** Models covering every kind of node, the three ways a model checks its keys, and the prototype-named keys left to ajv. */
const MODELS: [string, CompiledModel][] = [
  [
    'scalars',
    compile({ s: String, n: Number, b: Boolean, i: BigInt, d: Date, u: Uint8Array, o: Object, f: Function, dec: Decimal, id: UUID }),
  ],
  ['lists, tuples and sets', compile({ l: [String], t: tupleOf(Number, [Decimal]), s: setOf(oneOf('a', 'b')), ll: [[any()]] })],
  [
    'maps',
    compile({
      dd: mapOf(Decimal, Decimal),
      sn: mapOf(String, Number),
      nb: mapOf(Number, Boolean),
      lit: mapOf(oneOf('x', 2), String),
      raw: mapOf(jsonSchema({ type: 'string', minLength: 2 }), Number),
      bad: mapOf([String], Number),
    }),
  ],
  [
    'literals and nullables',
    compile(
      {
        side: oneOf('buy', 'sell', 1, -0.5, true, null),
        n: nullable(Decimal),
        nn: nullable(nullable(String)),
        nm: nullable({ a: Number }),
      },
      { o: nullable(oneOf(3)) },
    ),
  ],
  [
    'nested models',
    compile(
      { order: { price: Decimal, qty: Number, note: optional(String), lines: [{ sku: String, n: optional(nullable(Number)) }] } },
      { extra: any() },
    ),
  ],
  [
    'raw schema',
    compile({ code: jsonSchema({ type: 'string', pattern: '^[A-Z]{3}$' }), any: jsonSchema(true) }, { none: jsonSchema({ not: {} }) }),
  ],
  [
    'many optional keys (walked)',
    compile(
      { r0: String, r1: Decimal },
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`o${i}`, nullable(i % 2 ? Decimal : String)])),
    ),
  ],
  ['many required keys (dictionary)', compile(wide(12, 'k'))],
  ['prototype-named keys', compile({ obj: { constructor: String, toString: optional(Number), valueOf: optional(any()) } })],
  ['prototype-named arguments', compile({ constructor: String }, { toString: Number })],
  ['empty model', compile(null)],
  ['top-level map, optional', compile(null, mapOf(Decimal, nullable(Decimal)))],
  ['top-level map, required (at least one entry)', compile(mapOf(oneOf('a', 'b', 'c'), Number))],
];

const JUNK = fc.constantFrom<unknown>(
  null,
  undefined,
  0,
  -0,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'x',
  '1.5',
  '100',
  true,
  2n ** 70n,
  2 ** 60,
  new Decimal('2.5'),
  UUID.random(),
  new Date(0),
  new Date(Number.NaN),
  new Uint8Array(1),
  new Set(),
  new Map(),
  [],
  {},
  Object.create(null),
  () => 1,
  new (class Thing {})(),
);

/** Key texts that read as values of `key` in a plain-object map (see `mapOf`). */
function keyTexts(key: SpecNode): string[] {
  if (key.kind === 'literal') return key.values.map(String);
  if (key.kind === 'schema') return ['ab', 'abc'];
  if (key.kind !== 'scalar') return [];
  return (
    { String: ['any', ''], Number: ['1.5', '-3e2', '100'], Decimal: ['1.5', '100', '.5'], Boolean: ['true', 'false'] }[
      key.name as string
    ] ?? []
  );
}

/**
 * Values of `node`: valid ones (`noisy` false; undefined when none exists), or mostly valid ones
 * with junk, dropped or undefined required keys, unknown keys and wrong lengths mixed in.
 */
function shaped(node: SpecNode, noisy: boolean, depth = 0): fc.Arbitrary<unknown> | undefined {
  const good = shapedGood(node, noisy, depth);
  if (!noisy) return good;
  return good === undefined || depth > 4 ? JUNK : fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: JUNK, weight: 1 });
}

function shapedGood(node: SpecNode, noisy: boolean, depth: number): fc.Arbitrary<unknown> | undefined {
  const inner = (child: SpecNode) => shaped(child, noisy, depth + 1);
  switch (node.kind) {
    case 'scalar':
      return {
        String: fc.string({ maxLength: 4 }),
        Number: fc.double(),
        Boolean: fc.boolean(),
        BigInt: fc.oneof(fc.bigInt(), fc.integer(), fc.constant(2 ** 53 - 1)),
        Date: fc.date({ noInvalidDate: true }),
        Uint8Array: fc.uint8Array({ maxLength: 3 }).map((bytes) => (bytes.length === 2 ? Buffer.from(bytes) : bytes)),
        Object: fc.oneof(fc.object({ maxDepth: 1 }), fc.constant(Object.create(null))),
        Function: fc.constant(() => 1),
        Decimal: fc.double().map((n) => new Decimal(n)),
        UUID: fc.uuid().map((text) => new UUID(text)),
      }[node.name];
    case 'list': {
      const item = inner(node.item);
      return item === undefined ? fc.constant([]) : fc.array(item, { maxLength: 4 });
    }
    case 'tuple': {
      const items = node.items.map(inner);
      if (items.some((item) => item === undefined)) return undefined;
      const exact = fc.tuple(...(items as fc.Arbitrary<unknown>[]));
      return noisy ? fc.oneof(exact, fc.array(items[0]!, { maxLength: 3 })) : exact;
    }
    case 'set': {
      const item = inner(node.item);
      return item === undefined ? fc.constant(new Set()) : fc.array(item, { maxLength: 3 }).map((items) => new Set(items));
    }
    case 'map': {
      const key = inner(node.key);
      const value = inner(node.value) ?? fc.constant(undefined);
      const texts = keyTexts(node.key);
      const keyText = noisy
        ? fc.oneof(fc.constantFrom('1.5', 'x', 'true', '2', ...texts), fc.string({ maxLength: 3 }))
        : texts.length > 0
          ? fc.constantFrom(...texts)
          : undefined;
      const asMap =
        key === undefined ? fc.constant(new Map()) : fc.array(fc.tuple(key, value), { maxLength: 3 }).map((entries) => new Map(entries));
      if (keyText === undefined) return asMap;
      const asObject = fc.dictionary(keyText, value, { maxKeys: 3 });
      // A whole arguments object is never a Map: only noisy values try one.
      return node.arguments && !noisy ? asObject : fc.oneof(asMap, asObject);
    }
    case 'literal':
      return fc.constantFrom(...node.values);
    case 'nullable': {
      const value = inner(node.inner);
      return value === undefined ? fc.constant(null) : fc.oneof(fc.constant(null), value);
    }
    case 'any':
      return fc.anything({ maxDepth: 1 }).filter((value) => noisy || value !== undefined);
    case 'schema': {
      const candidates = ['EUR', 'eur', 'ab', 1, {}, null];
      const valid = candidates.filter((candidate) => node.raw?.(candidate) === true);
      if (noisy) return fc.constantFrom(...candidates);
      return valid.length === 0 ? undefined : fc.constantFrom(...valid);
    }
    case 'model': {
      const fields: fc.Arbitrary<[string, unknown, number]>[] = [];
      for (const field of node.fields) {
        const value = inner(field.node);
        if (value === undefined && !field.optional) return undefined;
        // roll: 0 absent, 1 undefined, else the value (a valid value leaves only optional keys out).
        const roll = noisy
          ? fc.nat(24)
          : field.optional && value !== undefined
            ? fc.nat(3)
            : field.optional
              ? fc.constant(0)
              : fc.constant(2);
        fields.push(fc.tuple(fc.constant(field.name), value ?? fc.constant(undefined), roll));
      }
      const extra = noisy
        ? fc.oneof(
            { arbitrary: fc.constant(null), weight: 10 },
            { arbitrary: fc.tuple(fc.constantFrom('zzz', 'o99', '__proto__', 'constructor'), fc.integer()), weight: 1 },
          )
        : fc.constant(null);
      return fc.tuple(fc.tuple(...fields), extra, fc.boolean()).map(([entries, unknownKey, nullProto]) => {
        const value: Record<string, unknown> = nullProto ? Object.create(null) : {};
        const set = (key: string, item: unknown) =>
          Object.defineProperty(value, key, { value: item, enumerable: true, writable: true, configurable: true });
        for (const [name, item, roll] of entries) if (roll > 0) set(name, roll === 1 ? undefined : item);
        if (unknownKey !== null) set(unknownKey[0], unknownKey[1]);
        return value;
      });
    }
  }
}

describe('fastCheck agrees with the ajv validator', () => {
  for (const [name, model] of MODELS) {
    it(name, () => {
      let accepted = 0;
      fc.assert(
        fc.property(fc.oneof(shaped(model.node, false) ?? JUNK, shaped(model.node, true)!), (value) => {
          const verdict = model.validate(value);
          expect(model.fast(value)).toBe(verdict);
          if (verdict) accepted++;
        }),
        { numRuns: 1500 },
      );
      // The property means little if (almost) nothing passes.
      expect(accepted).toBeGreaterThan(name === 'empty model' ? 0 : 20);
    });
  }
});

describe('fastCheck', () => {
  it(`walks the present keys of a model with more than ${UNROLLED_OPTIONAL} optional keys`, () => {
    const partial = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, optional(nullable(i % 2 ? Decimal : String))]));
    const model = compile(null, partial);
    const reads: PropertyKey[] = [];
    const delta = new Proxy({ k0: 'a', k101: new Decimal(1), k199: null } as Record<string, unknown>, {
      get(target, key) {
        reads.push(key);
        return target[key as string];
      },
    });
    expect(model.fast(delta)).toBe(true);
    expect(reads.sort()).toEqual(['k0', 'k101', 'k199']);
    expect(model.fast({ k0: 'a', k1: 'not a Decimal' })).toBe(false);
    expect(model.fast({ k0: 'a', k200: null })).toBe(false);
  });

  it('reads required and a few optional keys by name, and rejects keys it does not list', () => {
    const model = compile({ order_id: String, price: Decimal }, { note: String });
    expect(model.fast({ order_id: 'a', price: new Decimal(1) })).toBe(true);
    expect(model.fast({ order_id: 'a', price: new Decimal(1), note: undefined })).toBe(true);
    expect(model.fast({ order_id: 'a', price: undefined })).toBe(false);
    expect(model.fast({ order_id: 'a', price: new Decimal(1), other: 1 })).toBe(false);
    expect(model.fast(Object.assign(Object.create({ inherited: 1 }), { order_id: 'a', price: new Decimal(1) }))).toBe(false);
  });

  it('compileArguments answers from the fast check, with the same results as before', () => {
    const v = compileArguments({ required: { side: oneOf('buy', 'sell'), price: Decimal } }, { root: 'args' });
    expect(v.check({ side: 'buy', price: new Decimal('1.5') })).toBeUndefined();
    expect(v.check({ side: 'hold', price: new Decimal('1.5') })?.location.argument).toBe('args.side');
    expect(v.check({ side: 'buy', price: { toStringTag: '[object Decimal]' } })).toBeUndefined();
  });
});
