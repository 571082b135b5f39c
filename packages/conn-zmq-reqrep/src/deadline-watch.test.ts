import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineWatch, type Watched } from './deadline-watch.js';

interface Call extends Watched {
  name: string;
}

const call = (name: string): Call => ({ name, deadline: 0, done: false });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeadlineWatch', () => {
  it('expires each call timeoutMs after it was added, in order, and never one that was done first', () => {
    const expired: string[] = [];
    const watch = new DeadlineWatch<Call>(100, (watched) => expired.push(watched.name));
    const [a, b, c] = [call('a'), call('b'), call('c')];
    watch.add(a);
    vi.advanceTimersByTime(30);
    watch.add(b);
    vi.advanceTimersByTime(30);
    watch.add(c);
    watch.done(b);
    vi.advanceTimersByTime(39);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(59);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a', 'c']);
    expect(c.done).toBe(true);
  });

  it('uses one timer for many calls, and none once every call is done and expired', () => {
    const expired: string[] = [];
    const watch = new DeadlineWatch<Call>(50, (watched) => expired.push(watched.name));
    for (let n = 0; n < 1000; n++) {
      const watched = call(String(n));
      watch.add(watched);
      if (n % 100 !== 99) watch.done(watched);
    }
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(50);
    expect(expired).toEqual(['99', '199', '299', '399', '499', '599', '699', '799', '899', '999']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps watching calls added after the timer was set for an earlier one, and stops on clear', () => {
    const expired: string[] = [];
    const watch = new DeadlineWatch<Call>(100, (watched) => expired.push(watched.name));
    const first = call('first');
    watch.add(first);
    watch.done(first);
    vi.advanceTimersByTime(80);
    watch.add(call('second'));
    vi.advanceTimersByTime(20);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(80);
    expect(expired).toEqual(['second']);
    watch.add(call('third'));
    watch.clear();
    vi.advanceTimersByTime(200);
    expect(expired).toEqual(['second']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
