import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { Decimal } from './decimal.js';
import { describeSpec } from './describe.js';
import { any, jsonSchema, mapOf, nullable, oneOf, optional, setOf, tupleOf } from './helpers.js';
import type { TypeSpec } from './spec.js';
import { toJsonSchema } from './to-json-schema.js';
import { UUID } from './uuid.js';

describe('toJsonSchema', () => {
  it('uses plain JSON Schema where it can and custom keywords where it cannot', () => {
    expect(toJsonSchema(String)).toEqual({ type: 'string' });
    expect(toJsonSchema([Number])).toEqual({ type: 'array', items: { type: 'number' } });
    expect(toJsonSchema(Decimal)).toEqual({ sfInstance: 'Decimal' });
    expect(toJsonSchema(tupleOf(String, Boolean))).toEqual({
      type: 'array',
      items: [{ type: 'string' }, { type: 'boolean' }],
      minItems: 2,
      maxItems: 2,
    });
    expect(toJsonSchema(setOf(UUID))).toEqual({ sfSet: { sfInstance: 'UUID' } });
    expect(toJsonSchema(mapOf(String, Number))).toEqual({ sfMap: { key: { type: 'string' }, value: { type: 'number' }, keyText: {} } });
    expect(toJsonSchema(oneOf('a', 1, null))).toEqual({ enum: ['a', 1, null] });
    expect(toJsonSchema(nullable(Number))).toEqual({ anyOf: [{ type: 'null' }, { type: 'number' }] });
    expect(toJsonSchema(any())).toEqual({});
    expect(toJsonSchema(jsonSchema({ type: 'integer' }))).toEqual({ sfRaw: { type: 'integer' } });
    expect(toJsonSchema({ a: String, b: optional(Number) })).toEqual({
      type: 'object',
      sfInstance: 'Object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['a'],
      additionalProperties: false,
    });
  });

  const invalid: [string, unknown, RegExp, string, boolean][] = [
    ['a type name as a string', { a: 'str' }, /found the string "str"/, 'a', true],
    ['a two-element list', { a: [String, Number] }, /exactly one element; found 2/, 'a', false],
    ['the Map constructor', { a: { b: Map } }, /found the function or class Map/, 'a.b', true],
    ['Buffer', [Buffer], /found the function or class Buffer/, '[]', true],
    ['undefined', { a: undefined }, /found undefined/, 'a', true],
    ['optional outside a model', [optional(String)], /optional\(T\) marks a key/, '[]', false],
    ['an empty oneOf', { a: oneOf() }, /at least one value/, 'a', false],
    ['a class instance', { a: new Date() }, /found an instance of Date/, 'a', true],
  ];
  for (const [name, spec, message, argument, listsForms] of invalid) {
    it(`rejects ${name} with a ModelError naming the path`, () => {
      let error: unknown;
      try {
        toJsonSchema(spec as TypeSpec);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).message).toMatch(message);
      expect((error as ModelError).location.argument).toBe(argument);
      if (listsForms) expect((error as ModelError).message).toContain('valid forms are String, Number');
    });
  }

  it('rejects a model that contains itself', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => toJsonSchema(loop as TypeSpec)).toThrow(/contains itself/);
  });

  it('hints at the right helper', () => {
    expect(() => toJsonSchema({ a: Set } as unknown as TypeSpec)).toThrow(/For a set use setOf\(T\)/);
    expect(() => toJsonSchema({ a: 'str' } as unknown as TypeSpec)).toThrow(/Write a constructor such as String/);
  });
});

describe('describeSpec', () => {
  it('names every form in words', () => {
    expect(describeSpec(Decimal)).toBe('Decimal');
    expect(describeSpec([String])).toBe('list of String');
    expect(describeSpec([[Number]])).toBe('list of list of Number');
    expect(describeSpec(oneOf('buy', 'sell'))).toBe("one of 'buy' | 'sell'");
    expect(describeSpec(oneOf(1))).toBe('exactly 1');
    expect(describeSpec(mapOf(Decimal, Decimal))).toBe('map of Decimal to Decimal');
    expect(describeSpec(setOf(nullable(String)))).toBe('set of (String or null)');
    expect(describeSpec(tupleOf(String, Number))).toBe('tuple [String, Number]');
    expect(describeSpec({ price: Decimal, qty: optional(Number) })).toBe('{ price: Decimal, qty?: Number }');
    expect(describeSpec({})).toBe('an empty object {}');
    expect(describeSpec(any())).toBe('any value');
    expect(describeSpec(jsonSchema({ type: 'integer' }))).toBe('a value matching JSON Schema {"type":"integer"}');
    const long = describeSpec({ first_name: String, last_name: String, street: String, city: String, country: String });
    expect(long).toBe('an object with keys first_name, last_name, street, city, country');
  });
});
