import { describe, expect, it } from 'vitest';
import { ModelError, type SfError, ValidationError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { mapOf, nullable, optional, secret } from '../types/helpers.js';
import { checkConfig } from './check-config.js';

const SERVICE = '/srv/orders.ts';

function fails(run: () => unknown): SfError {
  try {
    run();
  } catch (error) {
    return error as SfError;
  }
  throw new Error('expected a throw');
}

describe('checkConfig', () => {
  it('returns the config unchanged without a config_model', () => {
    const config = { symbol: 'BTC' };
    expect(checkConfig(config, undefined, SERVICE)).toBe(config);
    expect(checkConfig(config, null, SERVICE)).toEqual({ symbol: 'BTC' });
  });

  it('passes a config that matches, keeping undeclared keys', () => {
    const config = { symbol: 'BTC', size: 2, from_cli: 'anything' };
    const checked = checkConfig(config, { required: { symbol: String }, optional: { size: Number, venue: String } }, SERVICE);
    expect(checked).toEqual({ symbol: 'BTC', size: 2, from_cli: 'anything' });
  });

  it('rejects a missing required key, naming it', () => {
    const error = fails(() => checkConfig({ size: 2 }, { required: { symbol: String }, optional: { size: Number } }, SERVICE));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('SF_VALIDATION_FAILED');
    expect(error.location).toMatchObject({ service: SERVICE, model: 'config_model', argument: 'config.symbol' });
    expect(error.message).toContain('config.symbol');
  });

  it('rejects a value of the wrong type, with expected and received', () => {
    const error = fails(() => checkConfig({ symbol: 42 }, { required: { symbol: String } }, SERVICE)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.location.argument).toBe('config.symbol');
    expect(error.expected).toMatch(/string/i);
    expect(error.received).toContain('42');
  });

  it('reads command-line strings as the Number, Boolean, BigInt or Decimal the model asks for', () => {
    const config = checkConfig(
      { size: '2.5', live: 'true', paper: 'false', nonce: '-12345678901234567890', price: '1.50', name: '7' },
      { required: { size: Number, live: Boolean, paper: Boolean }, optional: { nonce: BigInt, price: Decimal, name: String } },
      SERVICE,
    );
    expect(config.size).toBe(2.5);
    expect(config.live).toBe(true);
    expect(config.paper).toBe(false);
    expect(config.nonce).toBe(-12345678901234567890n);
    expect(config.price).toBeInstanceOf(Decimal);
    expect((config.price as Decimal).toString()).toBe('1.5');
    expect(config.name).toBe('7');
  });

  it('reads a command-line string as T for secret(T) and optional(T) keys too', () => {
    const model = { required: { pin: secret(Number) }, optional: { debug: optional(secret(Boolean)) } };
    expect(checkConfig({ pin: '1234', debug: 'true' }, model, SERVICE)).toEqual({ pin: 1234, debug: true });
  });

  it('never quotes a secret value that fails its type, at any depth, but still says where and what kind it was', () => {
    const model = {
      required: { pin: secret(Number), db: secret({ user: String, password: String }) },
      optional: { token: optional(secret(nullable(Number))) },
    };
    for (const config of [
      { pin: 'hunter2-pin', db: { user: 'u', password: 'p' } },
      { pin: 1, db: { user: 'u', password: 7, extra: 'hunter2-db' } },
      { pin: 1, db: { user: 'u', password: ['hunter2-list'] } },
      { pin: 1, db: { user: 'u', password: 'p' }, token: 'hunter2-token' },
    ]) {
      const error = fails(() => checkConfig(config, model, SERVICE)) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(`${error.message} ${error.received} ${error.hint ?? ''}`).not.toMatch(/hunter2|\b7\b/);
      expect(error.received).toContain('a secret: its value is not shown');
    }
    const pin = fails(() => checkConfig({ pin: 'hunter2-pin', db: { user: 'u', password: 'p' } }, model, SERVICE)) as ValidationError;
    expect(pin.location.argument).toBe('config.pin');
    expect(pin.received).toBe('a string (a secret: its value is not shown)');
  });

  it('rejects a string that does not read as the asked type', () => {
    const number = fails(() => checkConfig({ size: 'big' }, { required: { size: Number } }, SERVICE)) as ValidationError;
    expect(number).toBeInstanceOf(ValidationError);
    expect(number.location.argument).toBe('config.size');
    expect(number.received).toContain('big');
    expect(fails(() => checkConfig({ live: 'yes' }, { required: { live: Boolean } }, SERVICE)).location.argument).toBe('config.live');
    expect(fails(() => checkConfig({ nonce: '1.5' }, { required: { nonce: BigInt } }, SERVICE)).location.argument).toBe('config.nonce');
    expect(fails(() => checkConfig({ price: 'abc' }, { required: { price: Decimal } }, SERVICE)).location.argument).toBe('config.price');
  });

  it('does not coerce undeclared keys', () => {
    expect(checkConfig({ size: '2' }, { optional: { other: Number } }, SERVICE).size).toBe('2');
  });

  it('rejects an unknown config_model key, suggesting the nearest', () => {
    const error = fails(() => checkConfig({}, { requierd: { symbol: String } }, SERVICE));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.code).toBe('SF_MODEL_INVALID');
    expect(error.message).toContain("Unknown key 'requierd' in config_model");
    expect(error.hint).toBe("Did you mean 'required'?");
  });

  it('rejects a config_model that is not an object', () => {
    const error = fails(() => checkConfig({}, [String], SERVICE));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.location.model).toBe('config_model');
  });

  it('rejects a top-level mapOf(K, V): config keys are declared by name', () => {
    const error = fails(() => checkConfig({ a: 1 }, { optional: mapOf(String, Number) }, SERVICE));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toMatch(/top-level mapOf\(K, V\) cannot stand for them/);
    expect(error.hint).toMatch(/Nest the map under a key/);
  });
});
