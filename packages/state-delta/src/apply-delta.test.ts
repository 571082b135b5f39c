import { describe, expect, it } from 'vitest';
import { applyDelta, applyDeltaInPlace, copyState } from './apply-delta.js';

describe('applyDelta', () => {
  it('sets keys, deletes keys whose value is null, and leaves the base untouched', () => {
    const base = Object.freeze({ a: 1, b: 2, c: { deep: true } });
    const next = applyDelta(base, { b: 20, c: null, d: 'new' });
    expect(next).toEqual({ a: 1, b: 20, d: 'new' });
    expect(base).toEqual({ a: 1, b: 2, c: { deep: true } });
    expect(next).not.toBe(base);
  });

  it('keeps unchanged values by reference (structural sharing) and ignores deletes of absent keys', () => {
    const shared = { nested: [1, 2] };
    const next = applyDelta({ keep: shared }, { gone: null });
    expect(next.keep).toBe(shared);
    expect(Object.keys(next)).toEqual(['keep']);
  });

  it('keeps a key named __proto__ as a key, never as the prototype', () => {
    const delta = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const next = applyDelta({}, delta);
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(Object.keys(next)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(copyState(delta))).toBe(Object.prototype);
  });

  it('applies in place for the out side', () => {
    const target: Record<string, unknown> = { a: 1, b: 2 };
    applyDeltaInPlace(target, { a: null, c: 3 });
    expect(target).toEqual({ b: 2, c: 3 });
  });
});
