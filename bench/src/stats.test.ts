import { describe, expect, it } from 'vitest';
import { median, medianBy, percentile, perSecond, ratio } from './stats.js';

describe('stats', () => {
  it('nearest-rank percentiles', () => {
    const samples = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(median([3])).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });

  it('picks the run with the median figure', () => {
    const runs = [{ rate: 30 }, { rate: Number.NaN }, { rate: 10 }, { rate: 20 }];
    expect(medianBy(runs, (run) => run.rate)).toEqual({ rate: 20 });
    expect(medianBy(runs.slice(0, 3), (run) => run.rate)).toEqual({ rate: 30 });
    expect(() => medianBy([], () => 0)).toThrow();
  });

  it('rates and ratios refuse what cannot be divided', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(0, 10)).toBeNaN();
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(null, 4)).toBeNull();
    expect(ratio(Number.NaN, 4)).toBeNull();
  });
});
