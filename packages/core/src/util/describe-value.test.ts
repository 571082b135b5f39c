import { describe, expect, it } from 'vitest';
import { describeValue, isPlainObject, isRecord } from './describe-value.js';

describe('describeValue', () => {
  it('describes each kind of value briefly', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue('in')).toBe('the string "in"');
    expect(describeValue('x'.repeat(50))).toBe(`the string "${'x'.repeat(39)}…" (50 chars)`);
    expect(describeValue(3)).toBe('the number 3');
    expect(describeValue(false)).toBe('the boolean false');
    expect(describeValue(2n)).toBe('the bigint 2');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(Symbol('s'))).toBe('a symbol');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(new Map())).toBe('an instance of Map');
  });
});

describe('object checks', () => {
  it('tells plain objects from other objects', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(new Date())).toBe(false);
    expect(isPlainObject([])).toBe(false);
    expect(isRecord(new Date())).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
  });
});
