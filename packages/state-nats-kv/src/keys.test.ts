import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey } from './keys.js';

describe('state keys as KV keys', () => {
  it('keeps plain keys, escapes the rest reversibly as one valid KV token', () => {
    const keys = ['price', 'a_b-c', '50000.50', 'two words', 'a=b', '', 'é€', 'x.y.z', '>', '*'];
    for (const key of keys) {
      const encoded = encodeKey(key);
      expect(encoded).toMatch(/^[-_=A-Za-z0-9]+$/);
      expect(decodeKey(encoded)).toBe(key);
    }
    expect(encodeKey('price')).toBe('price');
    expect(encodeKey('50000.50')).toBe('50000=2E50');
  });

  it('refuses keys it could not have written', () => {
    for (const bad of ['a.b', 'a=2', 'a=zz', '=2e', '', 'a b']) expect(decodeKey(bad)).toBeUndefined();
  });
});
