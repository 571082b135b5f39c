import { describe, expect, it } from 'vitest';
import { rates } from './scrape.js';

describe('rates', () => {
  it('is the per-second difference, 0 on the first reading and after a restart reset the counter', () => {
    const before = new Map([
      ['a', 10],
      ['b', 50],
    ]);
    const after = new Map([
      ['a', 30],
      ['b', 4],
      ['c', 7],
    ]);
    expect(rates(before, after, 2)).toEqual(
      new Map([
        ['a', 10],
        ['b', 0],
        ['c', 0],
      ]),
    );
    expect(rates(undefined, after, 1)).toEqual(
      new Map([
        ['a', 0],
        ['b', 0],
        ['c', 0],
      ]),
    );
  });
});
