import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { compileArguments } from '../types/compile-arguments.js';
import { Decimal } from '../types/decimal.js';
import { mapOf, nullable, setOf, tupleOf } from '../types/helpers.js';
import { jsonFormSchema } from '../types/json-form-schema.js';
import { UUID } from '../types/uuid.js';
import { jsonFromValue, valueFromJson } from './json-form.js';

const model = compileArguments(
  {
    required: {
      text: String,
      n: Number,
      flag: Boolean,
      big: BigInt,
      price: Decimal,
      id: UUID,
      at: Date,
      bytes: Uint8Array,
      tags: setOf(String),
      levels: mapOf(Decimal, Decimal),
      pair: tupleOf(Decimal, String),
      list: [{ qty: Decimal }],
      maybe: nullable(Date),
      any: Object,
    },
  },
  { root: 'args' },
);

const JSON_ARGS = {
  text: 'a',
  n: 1.5,
  flag: true,
  big: '12345678901234567890',
  price: '1.50',
  id: '123e4567-e89b-12d3-a456-426614174000',
  at: '2024-01-02T03:04:05.123000+00:00',
  bytes: Buffer.from([0, 1, 254, 255]).toString('base64'),
  tags: ['x', 'y'],
  levels: { '1.5': '2', '3': '4.25' },
  pair: ['7', 's'],
  list: [{ qty: '1' }, { qty: '2.5' }],
  maybe: null,
  any: { free: [1, 'two'] },
};

describe('JSON forms', () => {
  it('reads every value type from its JSON form, checked by the model, and writes it back the same', () => {
    const args = valueFromJson(JSON_ARGS, model.node, 'args') as Record<string, unknown>;
    expect(model.check(args)).toBeUndefined();
    expect(args.price).toEqual(new Decimal('1.50'));
    expect(args.big).toBe(12345678901234567890n);
    expect(args.id).toBeInstanceOf(UUID);
    expect((args.at as Date).toISOString()).toBe('2024-01-02T03:04:05.123Z');
    expect(args.bytes).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(args.tags).toEqual(new Set(['x', 'y']));
    expect(JSON.parse(JSON.stringify(jsonFromValue(args, 'args')))).toEqual({ ...JSON_ARGS, price: '1.5', pair: ['7', 's'] });
  });

  it('small BigInts are JSON integers both ways; NaN and Infinity become strings', () => {
    expect(valueFromJson({ big: 5 }, compileArguments({ required: { big: BigInt } }, { root: 'args' }).node, 'args')).toEqual({ big: 5 });
    expect(jsonFromValue({ a: 5n, b: Number.NaN, c: -Infinity, d: new Map([[new Decimal(1), 2]]) }, 'r')).toEqual({
      a: 5,
      b: 'NaN',
      c: '-Infinity',
      d: { '1': 2 },
    });
  });

  it('a value not in its JSON form is a ValidationError naming the path and the form', () => {
    for (const [key, bad, expected] of [
      ['price', 1.5, 'decimal string'],
      ['price', 'abc', 'decimal string'],
      ['id', 'nope', 'UUID string'],
      ['at', 'yesterday', 'ISO-8601'],
      ['bytes', '!!', 'base64'],
      ['big', '1e5', 'integer'],
    ] as const) {
      const error = (() => {
        try {
          valueFromJson({ ...JSON_ARGS, [key]: bad }, model.node, 'args');
        } catch (caught) {
          return caught;
        }
      })() as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.location.argument).toBe(`args.${key}`);
      expect(error.expected).toContain(expected);
    }
    expect(() => valueFromJson({ ...JSON_ARGS, list: [{ qty: '1' }, { qty: 'x' }] }, model.node, 'args')).toThrow(/args\.list\[1\]\.qty/);
  });

  it('leaves a wrong shape to the model check; refuses to write what has no JSON form', () => {
    const args = valueFromJson({ ...JSON_ARGS, list: 'no' }, model.node, 'args');
    expect(model.check(args)?.location.argument).toBe('args.list');
    expect(() => jsonFromValue({ f: () => 1 }, 'return_args')).toThrow(/return_args\.f/);
  });

  it('the JSON Schema of the forms is standard (no custom keywords)', () => {
    const schema = JSON.stringify(jsonFormSchema(model.node));
    expect(schema).not.toMatch(/"sf[A-Z]/);
    expect(jsonFormSchema(model.node)).toMatchObject({
      properties: { price: { type: 'string', format: 'decimal' }, tags: { type: 'array', uniqueItems: true }, at: { format: 'date-time' } },
    });
  });
});
