import { describe, expect, it } from 'vitest';
import { KeyCache } from './key-cache.js';

const bytesOf = (text: string, before = 0): Uint8Array => {
  const encoded = new TextEncoder().encode(text);
  const out = new Uint8Array(before + encoded.length + 3).fill(0x41);
  out.set(encoded, before);
  return out;
};

describe('KeyCache', () => {
  it('decodes ASCII keys at any offset, and gives the same string again from the cache', () => {
    const cache = new KeyCache();
    const bytes = bytesOf('price', 7);
    const first = cache.decode(bytes, 7, 5);
    expect(first).toBe('price');
    expect(cache.decode(bytesOf('price'), 0, 5)).toBe('price');
  });

  it('decodes UTF-8 keys (not cached) and tells keys of more than 16 bytes to go elsewhere', () => {
    const cache = new KeyCache();
    const text = 'prix€';
    const bytes = bytesOf(text);
    expect(cache.decode(bytes, 0, new TextEncoder().encode(text).length)).toBe(text);
    expect([cache.canBeCached(0), cache.canBeCached(1), cache.canBeCached(16), cache.canBeCached(17)]).toEqual([false, true, true, false]);
  });

  it('many distinct keys (more than it has slots) each decode to themselves, before and after', () => {
    const cache = new KeyCache();
    const keys = Array.from({ length: 20_000 }, (_, i) => i.toString(36));
    for (const round of [1, 2]) {
      for (const key of keys) expect(cache.decode(bytesOf(key, round), round, key.length)).toBe(key);
    }
    // Keys that differ only in their last byte, or in length, never stand for each other.
    expect(cache.decode(bytesOf('ab'), 0, 2)).toBe('ab');
    expect(cache.decode(bytesOf('ab'), 0, 1)).toBe('a');
    expect(cache.decode(bytesOf('ac'), 0, 2)).toBe('ac');
  });
});
