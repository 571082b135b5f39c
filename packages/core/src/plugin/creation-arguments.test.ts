import { testContext } from '../testing/endpoint-context.js';
import { describe, expect, it } from 'vitest';
import { integerArgument, numberArgument } from './creation-arguments.js';

describe('numberArgument', () => {
  it('applies the default and keeps a given value', () => {
    expect(numberArgument(testContext({ addresses: {} }), 'timeout_ms', 5000, 0, true)).toBe(5000);
    expect(numberArgument(testContext({ addresses: {}, creation: { timeout_ms: 20 } }), 'timeout_ms', 5000, 0, true)).toBe(20);
    expect(numberArgument(testContext({ addresses: {}, creation: { wait: 0 } }), 'wait', 1, 0, false)).toBe(0);
  });

  it('rejects values out of range or not finite, naming the argument', () => {
    const context = (value: unknown) => testContext({ name: 'ask', side: 'out', addresses: {}, creation: { timeout_ms: value } });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => numberArgument(context(bad), 'timeout_ms', 5000, 0, true)).toThrow(
        expect.objectContaining({ code: 'SF_VALIDATION_FAILED', expected: 'a finite number > 0', received: String(bad) }),
      );
    }
    expect(() => numberArgument(context(-1), 'timeout_ms', 5000, 0, false)).toThrow(/optional_creation_arguments\.timeout_ms|out of range/);
  });
});

describe('integerArgument', () => {
  const context = (value: unknown) =>
    testContext({ name: 'orders', addresses: {}, creation: value === undefined ? {} : { concurrency: value } });

  it('applies the default and keeps a whole number in range', () => {
    expect(integerArgument(context(undefined), 'concurrency', 1, 1, 256)).toBe(1);
    expect(integerArgument(context(8), 'concurrency', 1, 1, 256)).toBe(8);
    expect(integerArgument(context(256), 'concurrency', 1, 1, 256)).toBe(256);
  });

  it('rejects fractions, values out of range and non-numbers, naming the argument and the range', () => {
    for (const bad of [0, 257, 1.5, Number.NaN, '4']) {
      expect(() => integerArgument(context(bad), 'concurrency', 1, 1, 256)).toThrow(
        expect.objectContaining({ code: 'SF_VALIDATION_FAILED', expected: 'a whole number from 1 to 256', received: String(bad) }),
      );
    }
    expect(() => integerArgument(context(0), 'concurrency', 1, 1, 256)).toThrow('Creation argument concurrency is out of range');
  });
});
