import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { describeReceived } from './describe.js';
import { UUID } from './uuid.js';

describe('describeReceived', () => {
  it('says what a value is, briefly', () => {
    expect(describeReceived(undefined)).toBe('undefined');
    expect(describeReceived(null)).toBe('null');
    expect(describeReceived('x'.repeat(100))).toBe(`string '${'x'.repeat(39)}…' (100 chars)`);
    expect(describeReceived(1.5)).toBe('number 1.5');
    expect(describeReceived(3n)).toBe('bigint 3n');
    expect(describeReceived(new Decimal('1.50'))).toBe('Decimal 1.5');
    expect(describeReceived(new UUID('123e4567-e89b-12d3-a456-426614174000'))).toBe('UUID 123e4567-e89b-12d3-a456-426614174000');
    expect(describeReceived(new Date(0))).toBe('Date 1970-01-01T00:00:00.000Z');
    expect(describeReceived(Buffer.from('abc'))).toBe('Buffer of 3 bytes');
    expect(describeReceived(new Uint8Array(2))).toBe('Uint8Array of 2 bytes');
    expect(describeReceived([1])).toBe('array of 1 item');
    expect(describeReceived(new Set([1, 2]))).toBe('Set of 2 items');
    expect(describeReceived(new Map([[1, 1]]))).toBe('Map of 1 entry');
    expect(describeReceived({ a: 1, b: 2, c: 3, d: 4, e: 5 })).toBe('object { a, b, c, d, … }');
    expect(describeReceived(function named() {})).toBe('function named');
    expect(describeReceived(new (class Thing {})())).toBe('an instance of Thing');
  });
});
