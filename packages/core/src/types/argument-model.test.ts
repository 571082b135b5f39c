import { describe, expect, it } from 'vitest';
import { ModelError, ValidationError } from '../errors.js';
import { partialModel } from './argument-model.js';
import { compileArguments } from './compile-arguments.js';
import { Decimal } from './decimal.js';
import { describeArguments } from './describe.js';
import { mapOf, nullable, oneOf, optional, setOf, tupleOf } from './helpers.js';
import type { ArgumentModel } from './spec.js';

const where = { service: 'book.ts', model: 'state_models.out.bids', root: 'state' };
const d = (text: string) => new Decimal(text);

function validator(models: { required?: ArgumentModel | null; optional?: ArgumentModel | null }) {
  return compileArguments(models, where);
}

/** The ModelError that compiling `models` throws. */
function modelError(models: { required?: unknown; optional?: unknown }): ModelError {
  try {
    validator(models as { required?: ArgumentModel });
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('a top-level mapOf(K, V) as the arguments model', () => {
  const levels = validator({ optional: mapOf(Decimal, Decimal) });

  it('accepts a plain object whose keys read as K and whose values are V, none included', () => {
    expect(levels.check({})).toBeUndefined();
    expect(levels.check({ '101.5': d('3'), '99': d('0.25'), '-1e2': d('1') })).toBeUndefined();
    expect(levels.check(Object.assign(Object.create(null), { '1.5': d('1') }))).toBeUndefined();
  });

  it('names the key in the argument path, with expected and received', () => {
    const value = levels.check({ '101.5': 3 })!;
    expect(value).toBeInstanceOf(ValidationError);
    expect(value.location).toMatchObject({ service: 'book.ts', model: 'state_models.out.bids', argument: 'state["101.5"]' });
    expect(value).toMatchObject({
      expected: 'Decimal',
      received: 'number 3',
      hint: "Pass a Decimal: new Decimal('1.50') (from a string, to stay exact)",
    });
    expect(value.message).toContain('expected Decimal, received number 3');
    const key = levels.check({ '101.5': d('1'), cheap: d('1') })!;
    expect(key.location.argument).toBe('state["cheap"]');
    expect(key).toMatchObject({ expected: 'key of type Decimal (as text, in a plain object)', received: "string 'cheap'" });
    expect(levels.check({ '1': null })?.location.argument).toBe('state["1"]');
  });

  it('takes no JS Map and nothing but a plain object: its keys are the argument names on the wire', () => {
    for (const value of [new Map([['1', d('1')]]), [], null, 'x']) {
      const error = levels.check(value)!;
      expect(error.location.argument).toBe('state');
      expect(error.expected).toBe('an object of Decimal keys (as text) to Decimal');
    }
  });

  it('as required_arguments needs at least one entry', () => {
    const some = validator({ required: mapOf(String, Number) });
    expect(some.check({ AAPL: 1 })).toBeUndefined();
    const error = some.check({})!;
    expect(error.message).toMatch(/^At least one argument is required/);
    expect(error).toMatchObject({ expected: 'an object of String keys (as text) to Number, at least one', received: 'an empty object {}' });
    expect(error.hint).toMatch(/optional_arguments/);
  });

  it('keys of any type that reads from text: Number, oneOf, …; other key types are a ModelError at start', () => {
    const sides = validator({ optional: mapOf(oneOf('buy', 'sell'), Number) });
    expect(sides.check({ buy: 1 })).toBeUndefined();
    expect(sides.check({ hold: 1 })?.location.argument).toBe('state["hold"]');
    const error = modelError({ optional: mapOf(tupleOf(Number, Number), Number) });
    expect(error.message).toMatch(/keys of a top-level mapOf\(K, V\) are the argument names.*tuple \[Number, Number\] keys cannot be/);
    expect(error.location.argument).toBe('state<key>');
    expect(error.hint).toMatch(/nest the map under a key/);
  });

  it('cannot be mixed with declared keys or another map, and other helpers cannot stand for a model', () => {
    expect(modelError({ required: { symbol: String }, optional: mapOf(String, Number) }).message).toMatch(
      /cannot be mixed with other declared keys/,
    );
    expect(modelError({ required: mapOf(String, Number), optional: mapOf(String, String) }).message).toMatch(
      /cannot be mixed with other maps/,
    );
    expect(modelError({ required: setOf(String) }).message).toMatch(
      /required arguments of state must be an object of name → type, or mapOf\(K, V\); found a set type/,
    );
    expect(validator({ required: mapOf(String, Number), optional: {} }).check({ a: 1 })).toBeUndefined();
  });

  it('quotes at most 64 characters of a hostile key', () => {
    const error = levels.check({ ['9'.repeat(100_000)]: 'x' })!;
    expect(error.location.argument!.length).toBeLessThan(80);
  });
});

describe('partialModel (a delta state)', () => {
  it('turns a top-level map into one whose values may be null (delete the level), entries optional', () => {
    const delta = validator({ optional: partialModel({ required: mapOf(Decimal, Decimal) }) });
    expect(delta.check({})).toBeUndefined();
    expect(delta.check({ '101.5': null, '102': d('4') })).toBeUndefined();
    expect(delta.check({ '101.5': 'gone' })).toMatchObject({ expected: 'Decimal or null', location: { argument: 'state["101.5"]' } });
  });

  it('makes every declared key optional and nullable, optional(T) keys included', () => {
    const delta = validator({ optional: partialModel({ required: { a: String }, optional: { b: optional(Number), c: Number } }) });
    expect(delta.check({ a: null, b: null, c: 1 })).toBeUndefined();
    expect(delta.check({ b: 'x' })?.location.argument).toBe('state.b');
  });
});

describe('describeArguments', () => {
  it('lists declared keys, or the map with its key type', () => {
    expect(describeArguments({ required: { id: String }, optional: { note: nullable(String) } })).toBe(
      '{ id: String, note?: String or null }',
    );
    expect(describeArguments({ optional: mapOf(Decimal, Decimal) })).toBe('{ [Decimal]?: Decimal }');
    expect(describeArguments({ required: mapOf(String, [Number]) })).toBe('{ [String]: list of Number }');
    expect(describeArguments({})).toBe('{}');
  });
});

describe('a type written as a key', () => {
  it('is a ModelError pointing to mapOf, at the top level and nested', () => {
    // What plain JS makes of the seed's {str: int} written as { [String]: Number }.
    const top = modelError({ optional: { [String(String)]: Number } });
    expect(top.message).toMatch(/^A type is used as a key/);
    expect(top.hint).toBe("For any key of a type, write mapOf(String, V) (the seed's {String: V})");
    expect(modelError({ required: { book: { [String(Decimal)]: Decimal } } }).hint).toMatch(/mapOf\(Decimal, V\)/);
  });
});

describe('the schema of a top-level map', () => {
  it('is a plain object with key names and values checked (JSON Schema propertyNames / additionalProperties)', () => {
    expect(validator({ required: mapOf(Decimal, Decimal) }).schema).toEqual({
      type: 'object',
      sfInstance: 'Object',
      propertyNames: { pattern: expect.any(String) },
      additionalProperties: { sfInstance: 'Decimal' },
      minProperties: 1,
    });
  });
});
