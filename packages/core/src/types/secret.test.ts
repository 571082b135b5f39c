import { describe, expect, it } from 'vitest';
import { compileArguments } from './compile-arguments.js';
import { describeSpec } from './describe.js';
import { optional, secret } from './helpers.js';
import { SPEC_KIND } from './spec.js';

describe('secret(T)', () => {
  it('is a frozen helper spec holding T', () => {
    const spec = secret(String);
    expect(spec[SPEC_KIND]).toBe('secret');
    expect(spec.inner).toBe(String);
    expect(Object.isFrozen(spec)).toBe(true);
  });

  it('is checked exactly like T, required or optional, at any depth', () => {
    const validator = compileArguments(
      { required: { token: secret(String) }, optional: { db: { password: optional(secret(String)), port: secret(Number) } } },
      { root: 'config' },
    );
    expect(validator.check({ token: 'abc' })).toBeUndefined();
    expect(validator.check({ token: 'abc', db: { port: 5432 } })).toBeUndefined();
    expect(validator.check({ token: 1 })).toMatchObject({ code: 'SF_VALIDATION_FAILED', location: { argument: 'config.token' } });
    expect(validator.check({})).toMatchObject({ code: 'SF_VALIDATION_FAILED' });
    expect(validator.check({ token: 'a', db: { port: 'x' } })).toMatchObject({ location: { argument: 'config.db.port' } });
  });

  it('describes itself as its inner type', () => {
    expect(describeSpec(secret(String))).toBe(describeSpec(String));
  });
});
