import { describe, expect, it } from 'vitest';
import { LogThrottle, withHeldBack } from './log-throttle.js';

describe('LogThrottle', () => {
  it('lets perWindow lines per key through per window, then reports how many it held back', () => {
    const throttle = new LogThrottle({ windowMs: 1000, perWindow: 2 });
    expect(throttle.pass('a', 0)).toEqual({ log: true, heldBack: 0 });
    expect(throttle.pass('a', 10)).toEqual({ log: true, heldBack: 0 });
    for (let i = 0; i < 7; i++) expect(throttle.pass('a', 20 + i)).toEqual({ log: false });
    expect(throttle.pass('b', 30)).toEqual({ log: true, heldBack: 0 });
    const next = throttle.pass('a', 1000);
    expect(next).toEqual({ log: true, heldBack: 7 });
    expect(withHeldBack('bad message', next)).toBe('bad message (7 more like this were not logged)');
    expect(throttle.pass('a', 1001)).toEqual({ log: true, heldBack: 0 });
  });

  it('keeps at most maxKeys keys, forgetting the oldest first, so made-up keys cannot grow memory', () => {
    const throttle = new LogThrottle({ windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) expect(throttle.pass(`client-${i}`, i).log).toBe(true);
    expect(throttle.size).toBe(100);
    // The newest keys are still remembered (quiet); the first ones were forgotten (logged again).
    expect(throttle.pass('client-9999', 10_000)).toEqual({ log: false });
    expect(throttle.pass('client-0', 10_000)).toEqual({ log: true, heldBack: 0 });
    expect(throttle.size).toBe(100);
  });

  it('defaults to one line per key per minute and at most 1000 keys', () => {
    const throttle = new LogThrottle();
    expect(throttle.pass('k', 0).log).toBe(true);
    expect(throttle.pass('k', 59_999).log).toBe(false);
    expect(throttle.pass('k', 60_000)).toEqual({ log: true, heldBack: 1 });
    for (let i = 0; i < 5000; i++) throttle.pass(`x${i}`, 60_000);
    expect(throttle.size).toBe(1000);
  });
});
