import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { UUID } from './uuid.js';

describe('UUID', () => {
  it('normalises case and compares by value', () => {
    const a = new UUID('123E4567-E89B-12D3-A456-426614174000');
    expect(a.value).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(a.equals(new UUID('123e4567-e89b-12d3-a456-426614174000'))).toBe(true);
  });
  it('rejects a malformed string', () => {
    expect(() => new UUID('nope')).toThrow(ValidationError);
  });
});
