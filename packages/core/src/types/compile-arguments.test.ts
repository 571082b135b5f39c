import { describe, expect, it } from 'vitest';
import { ModelError, ValidationError } from '../errors.js';
import { compileArguments } from './compile-arguments.js';
import { Decimal } from './decimal.js';
import { any, jsonSchema, mapOf, nullable, oneOf, optional, setOf, tupleOf } from './helpers.js';
import type { ArgumentModel, KeyedModel } from './spec.js';
import { UUID } from './uuid.js';

const where = { service: 'svc.ts', model: 'connection_models.in.orders', root: 'args' };

function validator(required: ArgumentModel, optionalArgs?: ArgumentModel) {
  return compileArguments({ required, optional: optionalArgs ?? null }, where);
}

/** The error for `value`, with the fields the tests compare. */
function failure(required: ArgumentModel, value: unknown, optionalArgs?: ArgumentModel) {
  const error = validator(required, optionalArgs).check(value);
  expect(error).toBeInstanceOf(ValidationError);
  return { argument: error!.location.argument, expected: error!.expected, received: error!.received, message: error!.message };
}

describe('constructor types', () => {
  const cases: [string, KeyedModel[string], unknown[], [unknown, string, string][]][] = [
    ['String', String, ['', 'abc'], [[1, 'String', 'number 1']]],
    [
      'Number',
      Number,
      [0, -1.5, Number.NaN],
      [
        ['1', 'Number', "string '1'"],
        [1n, 'Number', 'bigint 1n'],
      ],
    ],
    ['Boolean', Boolean, [true, false], [[0, 'Boolean', 'number 0']]],
    [
      'BigInt',
      BigInt,
      [1n, 2n ** 80n, 42],
      [
        [1.5, 'BigInt', 'number 1.5'],
        [2 ** 60, 'BigInt', `number ${2 ** 60}`],
      ],
    ],
    [
      'Date',
      Date,
      [new Date(0)],
      [
        ['2024-01-01', 'Date', "string '2024-01-01'"],
        [new Date('x'), 'Date', 'an invalid Date'],
      ],
    ],
    ['Uint8Array', Uint8Array, [new Uint8Array(2), Buffer.from('hi')], [[[1, 2], 'Uint8Array', 'array of 2 items']]],
    [
      'Object',
      Object,
      [{}, { a: 1 }, Object.create(null)],
      [
        [[], 'Object (a plain object)', 'array of 0 items'],
        [new Map(), 'Object (a plain object)', 'Map of 0 entries'],
      ],
    ],
    [
      'Decimal',
      Decimal,
      [new Decimal('1.10')],
      [
        [1.1, 'Decimal', 'number 1.1'],
        ['1.1', 'Decimal', "string '1.1'"],
      ],
    ],
    ['UUID', UUID, [UUID.random()], [['123e4567-e89b-12d3-a456-426614174000', 'UUID', "string '123e4567-e89b-12d3-a456-426614174000'"]]],
  ];
  for (const [name, spec, good, bad] of cases) {
    it(`${name} accepts matching values and names the mismatch`, () => {
      const v = validator({ x: spec });
      for (const value of good) expect(v.check({ x: value })).toBeUndefined();
      for (const [value, expected, received] of bad) {
        expect(failure({ x: spec }, { x: value })).toMatchObject({ argument: 'args.x', expected, received });
      }
    });
  }

  it('keeps a Decimal exact: the validated value is the same instance, digits intact', () => {
    const price = new Decimal('0.1').plus('0.2');
    const args = { x: price };
    validator({ x: Decimal }).assert(args);
    expect(args.x).toBe(price);
    expect(args.x.toString()).toBe('0.3');
  });

  it('allows Function only when asked (creation arguments)', () => {
    expect(() => validator({ f: Function })).toThrow(/Function is allowed only in creation arguments/);
    const v = compileArguments({ required: { f: Function } }, { ...where, allowFunctions: true });
    expect(v.check({ f: () => 1 })).toBeUndefined();
    expect(v.check({ f: 'x' })?.expected).toBe('Function');
  });
});

describe('lists, tuples, sets, maps, literals', () => {
  it('[T] checks every item and names its index', () => {
    expect(validator({ items: [String] }).check({ items: ['a', 'b'] })).toBeUndefined();
    expect(failure({ items: [String] }, { items: ['a', 'b', 3] })).toMatchObject({
      argument: 'args.items[2]',
      expected: 'String',
      received: 'number 3',
    });
    expect(failure({ items: [String] }, { items: 'a' })).toMatchObject({ argument: 'args.items', expected: 'list of String' });
  });

  it('tupleOf checks length and each position', () => {
    const spec = { pair: tupleOf(String, Number) };
    expect(validator(spec).check({ pair: ['a', 1] })).toBeUndefined();
    expect(failure(spec, { pair: ['a'] })).toMatchObject({
      argument: 'args.pair',
      expected: 'tuple [String, Number] (2 items)',
      received: 'array of 1 item',
    });
    expect(failure(spec, { pair: ['a', 'b'] })).toMatchObject({ argument: 'args.pair[1]', expected: 'Number' });
  });

  it('setOf needs a Set and checks its elements', () => {
    const spec = { tags: setOf(String) };
    expect(validator(spec).check({ tags: new Set(['a']) })).toBeUndefined();
    expect(failure(spec, { tags: ['a'] })).toMatchObject({ argument: 'args.tags', expected: 'set of String', received: 'array of 1 item' });
    expect(failure(spec, { tags: new Set(['a', 2]) })).toMatchObject({
      argument: 'args.tags[1]',
      expected: 'String',
      received: 'number 2',
    });
  });

  it('mapOf accepts a Map, or a plain object whose keys read as K', () => {
    const spec = { book: mapOf(Decimal, Decimal) };
    const v = validator(spec);
    expect(v.check({ book: new Map([[new Decimal('1.5'), new Decimal(2)]]) })).toBeUndefined();
    expect(v.check({ book: { '1.5': new Decimal(2), '-3e2': new Decimal(1) } })).toBeUndefined();
    expect(v.check({ book: {} })).toBeUndefined();
    expect(failure(spec, { book: { abc: new Decimal(1) } })).toMatchObject({
      argument: 'args.book["abc"]',
      expected: 'key of type Decimal (as text, in a plain object)',
      received: "string 'abc'",
    });
    expect(failure(spec, { book: new Map([['1.5', new Decimal(1)]]) })).toMatchObject({
      argument: 'args.book["1.5"]',
      expected: 'key of type Decimal',
    });
    expect(failure(spec, { book: { '1.5': 2 } })).toMatchObject({
      argument: 'args.book["1.5"]',
      expected: 'Decimal',
      received: 'number 2',
    });
    expect(failure(spec, { book: [] })).toMatchObject({ argument: 'args.book', expected: 'map of Decimal to Decimal' });
  });

  it('mapOf key text per key type', () => {
    const numbers = validator({ m: mapOf(Number, String) });
    expect(numbers.check({ m: { '1': 'a', '-2.5': 'b' } })).toBeUndefined();
    expect(numbers.check({ m: { x: 'a' } })?.location.argument).toBe('args.m["x"]');
    expect(validator({ m: mapOf(String, Number) }).check({ m: { anything: 1 } })).toBeUndefined();
    expect(validator({ m: mapOf(oneOf('a', 1), Number) }).check({ m: { a: 1, '1': 2 } })).toBeUndefined();
    expect(validator({ m: mapOf(UUID, Number) }).check({ m: { [UUID.random().value]: 1 } })).toBeUndefined();
    expect(validator({ m: mapOf([String], Number) }).check({ m: { a: 1 } })?.expected).toBe(
      'key of type list of String (as text, in a plain object)',
    );
  });

  it('oneOf accepts only the listed values', () => {
    const spec = { side: oneOf('buy', 'sell') };
    expect(validator(spec).check({ side: 'sell' })).toBeUndefined();
    expect(failure(spec, { side: 'hold' })).toMatchObject({
      argument: 'args.side',
      expected: "one of 'buy' | 'sell'",
      received: "string 'hold'",
    });
  });

  it('nullable(T) and any()', () => {
    const spec = { note: nullable(String), x: any() };
    expect(validator(spec).check({ note: null, x: undefined })).toBeDefined();
    expect(validator(spec).check({ note: null, x: Symbol('s') })).toBeUndefined();
    expect(failure(spec, { note: 3, x: 1 })).toMatchObject({ argument: 'args.note', expected: 'String or null', received: 'number 3' });
  });
});

describe('nested models and the arguments object', () => {
  const order = { order: { price: Decimal, qty: Number, note: optional(String) } };

  it('names the deepest failing path', () => {
    expect(failure(order, { order: { price: 1.5, qty: 1 } })).toMatchObject({
      argument: 'args.order.price',
      expected: 'Decimal',
      received: 'number 1.5',
    });
    expect(failure({ items: [{ id: UUID }] }, { items: [{ id: UUID.random() }, { id: 'x' }] }).argument).toBe('args.items[1].id');
  });

  it('optional keys may be absent; missing and extra keys are errors', () => {
    const v = validator(order);
    expect(v.check({ order: { price: new Decimal(1), qty: 1 } })).toBeUndefined();
    expect(failure(order, { order: { price: new Decimal(1) } })).toMatchObject({
      argument: 'args.order.qty',
      expected: 'Number',
      received: 'nothing (the key is missing)',
    });
    const extra = failure(order, { order: { price: new Decimal(1), qty: 1, colour: 'red' } });
    expect(extra.argument).toBe('args.order.colour');
    expect(extra.message).toMatch(/Unknown key 'colour' \(a nested model rejects keys it does not list\)/);
  });

  it('top level: required present, optional absent or matching (not null), unknown keys suggested', () => {
    const v = validator({ order_id: String }, { limit: Number });
    expect(v.check({ order_id: 'a' })).toBeUndefined();
    expect(v.check({ order_id: 'a', limit: 3 })).toBeUndefined();
    expect(failure({ order_id: String }, { order_id: 'a', limit: null }, { limit: Number })).toMatchObject({
      argument: 'args.limit',
      received: 'null',
    });
    const typo = v.check({ order_idd: 'a' })!;
    expect(typo.location.argument).toBe('args.order_idd');
    expect(typo.message).toMatch(/^Unknown argument 'order_idd'/);
    expect(typo.hint).toBe("Did you mean 'order_id'?");
    expect(v.check({ order_id: 'a', zzz: 1 })!.hint).toBe("Remove 'zzz', or add it to the model");
    expect(failure({ order_id: String }, null)).toMatchObject({ argument: 'args', received: 'null' });
  });

  it('the message names service, model, argument, expected and received', () => {
    const error = validator(order).check({ order: { price: 2, qty: 1 } })!;
    expect(error.code).toBe('SF_VALIDATION_FAILED');
    expect(error.message).toContain('expected Decimal, received number 2');
    expect(error.message).toContain('service svc.ts, model connection_models.in.orders, argument args.order.price');
    expect(() => validator(order).assert({})).toThrow(ValidationError);
  });

  it('rejects a key given as both required and optional', () => {
    expect(() => validator({ a: String }, { a: Number })).toThrow(/both required and optional/);
  });
});

describe('raw JSON Schema', () => {
  it('checks with the schema and reports the keyword', () => {
    const spec = {
      code: jsonSchema({ type: 'string', pattern: '^[A-Z]{3}$' }),
      range: jsonSchema({ type: 'object', properties: { lo: { type: 'number', minimum: 0 } } }),
    };
    expect(validator(spec).check({ code: 'EUR', range: { lo: 1 } })).toBeUndefined();
    expect(failure(spec, { code: 'eur', range: {} })).toMatchObject({ argument: 'args.code', received: "string 'eur'" });
    const deep = failure(spec, { code: 'EUR', range: { lo: -1 } });
    expect(deep).toMatchObject({ argument: 'args.range.lo', received: 'number -1' });
    expect(deep.expected).toMatch(/must be >= 0.*minimum/);
  });

  it('resolves $ref inside the raw schema', () => {
    const spec = { t: jsonSchema({ definitions: { n: { type: 'number' } }, type: 'array', items: { $ref: '#/definitions/n' } }) };
    expect(validator(spec).check({ t: [1, 2] })).toBeUndefined();
    expect(validator(spec).check({ t: ['a'] })?.location.argument).toBe('args.t[0]');
  });

  it('an invalid raw schema is a ModelError at its path', () => {
    let error: unknown;
    try {
      validator({ a: { b: jsonSchema({ type: 'strin' }) } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).location.argument).toBe('args.a.b');
  });
});

describe('compile once', () => {
  it('exposes the schema and validates many messages without recompiling', () => {
    const v = validator({ a: [Number] });
    expect(v.schema).toMatchObject({ type: 'object', required: ['a'], additionalProperties: false });
    for (let i = 0; i < 1000; i++) expect(v.check({ a: [i] })).toBeUndefined();
  });
});

describe('hostile keys', () => {
  it('quotes at most 64 characters of an unknown key', () => {
    const validator = compileArguments({ required: { price: Number } }, { root: 'args' });
    const key = 'k'.repeat(100_000);
    const error = validator.check({ price: 1, [key]: 2 });
    expect(error?.message).toContain(`'${'k'.repeat(63)}…'`);
    expect(error!.message.length).toBeLessThan(1000);
  });
});
