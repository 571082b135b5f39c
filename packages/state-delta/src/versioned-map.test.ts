import { describe, expect, it } from 'vitest';
import { applyDelta } from './apply-delta.js';
import { REBASE_MIN, VersionedMap, WALK_MAX } from './versioned-map.js';

/** A small deterministic generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether `version` holds exactly `plain`, keys in the same order. */
function expectHolds(version: VersionedMap, plain: Record<string, unknown>, where: string): void {
  const keys = Object.keys(plain);
  expect(version.size, where).toBe(keys.length);
  for (const key of keys) {
    expect(version.has(key), `${where}: has ${key}`).toBe(true);
    expect(version.get(key), `${where}: get ${key}`).toBe(plain[key]);
  }
  for (const key of ['k-absent', 'k0', 'k7', '__proto__'])
    if (!Object.hasOwn(plain, key)) expect(version.has(key), `${where}: has ${key}`).toBe(false);
  expect([...version.keys()], where).toEqual(keys);
}

describe('VersionedMap', () => {
  it('keeps every version as it was: sets, deletes and keys put back, near and far behind the newest', () => {
    const next = random(7);
    const start: Record<string, unknown> = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    const versions: VersionedMap[] = [VersionedMap.of(Object.entries(start))];
    const plains: Record<string, unknown>[] = [start];
    for (let step = 1; step <= 3 * WALK_MAX; step++) {
      const delta: Record<string, unknown> = {};
      for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
        const key = `k${Math.floor(next() * 30)}`;
        delta[key] = next() < 0.3 ? null : step * 100 + n;
      }
      if (step === 5) Object.defineProperty(delta, '__proto__', { value: 'a key', enumerable: true, writable: true, configurable: true });
      versions.push((versions.at(-1) as VersionedMap).with(delta));
      plains.push(applyDelta(plains.at(-1) as Record<string, unknown>, delta));
      // Reads of a few older versions on the way (walks), the rest only at the end (copies).
      for (const back of [1, 2, WALK_MAX + 1]) {
        const at = versions.length - 1 - back;
        if (at >= 0 && step % 5 === 0)
          expectHolds(versions[at] as VersionedMap, plains[at] as Record<string, unknown>, `v${at} at ${step}`);
      }
    }
    for (const [at, version] of versions.entries()) expectHolds(version, plains[at] as Record<string, unknown>, `v${at}`);
  });

  it('starts a fresh line every REBASE_MIN updates (bounding what a kept version holds), every version still as it was', () => {
    const next = random(11);
    const start: Record<string, unknown> = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const kept: [VersionedMap, Record<string, unknown>][] = [];
    let version = VersionedMap.of(Object.entries(start));
    let plain = start;
    for (let step = 1; step <= 3 * REBASE_MIN + 7; step++) {
      if (step % 257 === 1 || step % REBASE_MIN <= 1) kept.push([version, plain]);
      const key = `k${Math.floor(next() * 14)}`;
      const delta = { [key]: next() < 0.2 ? null : step };
      version = version.with(delta);
      plain = applyDelta(plain, delta);
    }
    kept.push([version, plain]);
    for (const [at, [held, value]] of kept.entries()) expectHolds(held, value, `kept #${at}`);
  });

  it('branches from an older version without changing the newer ones', () => {
    const first = VersionedMap.of([
      ['a', 1],
      ['b', 2],
    ]);
    const second = first.with({ a: null, c: 3 });
    const branch = first.with({ b: 20 });
    expect([...branch.entries()]).toEqual([
      ['a', 1],
      ['b', 20],
    ]);
    expect([...second.entries()]).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
    expect([...first.entries()]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(second.with({ a: 4 }).get('a')).toBe(4);
    expect(second.has('a')).toBe(false);
  });
});
