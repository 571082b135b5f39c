import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from '../codec/values.js';
import { compileArguments } from '../types/compile-arguments.js';
import { mapOf } from '../types/helpers.js';
import { isPlainObject } from './describe-value.js';
import { isStateView, type KeySource, plainOf, readOnlyState, STATE_PLAIN_MAX, stateView } from './state-view.js';

/** A source over `entries` that counts its reads. */
function counted(entries: Record<string, unknown>): KeySource & { reads: number } {
  const map = new Map(Object.entries(entries));
  const source = {
    reads: 0,
    get: (key: string) => {
      source.reads += 1;
      return map.get(key);
    },
    has: (key: string) => map.has(key),
    keys: () => map.keys(),
    size: map.size,
  };
  return source;
}

describe('stateView', () => {
  it('reads like a plain object and cannot be changed', () => {
    const view = stateView(counted({ a: 1, b: { c: 2 } })) as Record<string, unknown>;
    expect(isStateView(view)).toBe(true);
    expect(isStateView({ a: 1 })).toBe(false);
    expect(isPlainObject(view)).toBe(true);
    expect({ ...view }).toEqual({ a: 1, b: { c: 2 } });
    expect(JSON.stringify(view)).toBe('{"a":1,"b":{"c":2}}');
    expect(Object.keys(view)).toEqual(['a', 'b']);
    expect('a' in view && !('z' in view)).toBe(true);
    expect(() => {
      view.a = 2;
    }).toThrow(TypeError);
    expect(view.a).toBe(1);
  });

  it('is checked and encoded as its plain copy, built once, not read key by key through the Proxy', () => {
    const source = counted({ '1.5': 2, '2': 3 });
    const view = stateView(source);
    const { check } = compileArguments(
      { required: { book: mapOf(Number, Number) }, optional: null },
      { service: 's', model: 'm', root: 'args' },
    );
    expect(check({ book: view })).toBeUndefined();
    expect(check({ book: stateView(counted({ x: 'no' })) })).toBeDefined();
    expect(decodeValue(encodeValue({ book: view }))).toEqual({ book: { '1.5': 2, '2': 3 } });
    expect(plainOf(view)).toEqual({ '1.5': 2, '2': 3 });
    expect(source.reads).toBe(2);
  });
});

describe('readOnlyState', () => {
  it('hands out a frozen plain copy up to STATE_PLAIN_MAX keys and a view past it, both reading as the source', () => {
    const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    const small = readOnlyState(counted(entries(STATE_PLAIN_MAX)));
    expect(isStateView(small)).toBe(false);
    expect(Object.isFrozen(small)).toBe(true);
    expect(small).toEqual(entries(STATE_PLAIN_MAX));
    const big = readOnlyState(counted(entries(STATE_PLAIN_MAX + 1)));
    expect(isStateView(big)).toBe(true);
    expect({ ...big }).toEqual(entries(STATE_PLAIN_MAX + 1));
  });

  it('keeps a key named __proto__ as a key in the plain copy', () => {
    const value = readOnlyState(counted(JSON.parse('{"__proto__": 1, "a": 2}'))) as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
