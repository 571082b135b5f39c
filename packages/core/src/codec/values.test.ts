import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { UUID } from '../types/uuid.js';
import { afterTrip, valueArb } from './arbitraries.fixture.js';
import { packWire } from './msgpack.js';
import { decodeValue, encodeValue } from './values.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const trip = (value: unknown) => decodeValue(encodeValue(value));

function encodeError(value: unknown): EncodeError {
  try {
    encodeValue(value);
  } catch (error) {
    expect(error).toBeInstanceOf(EncodeError);
    return error as EncodeError;
  }
  throw new Error('expected an EncodeError');
}

describe('value round trip', () => {
  it('keeps any nested value (Decimal, Set, UUID, Date, bytes, bigint, Map, unicode)', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        expect(trip(value)).toEqual(afterTrip(value));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps Decimal digits exactly, but not trailing zeros of the scale', () => {
    const long = new Decimal('123456789012345678901234567890.123456789012345678901234567890');
    expect((trip(long) as Decimal).equals(long)).toBe(true);
    expect((trip(long) as Decimal).toFixed()).toBe('123456789012345678901234567890.12345678901234567890123456789');
    expect(hex(encodeValue(new Decimal('1.50')))).toBe(
      `82ab${hex(Buffer.from('__decimal__'))}c3a6${hex(Buffer.from('as_str'))}a3${hex(Buffer.from('1.5'))}`,
    );
    expect(String(trip(new Decimal('1e-7')))).toBe('1e-7');
  });

  it('decodes a Decimal text seen before to a new Decimal equal to what decimal.js parses', () => {
    const fromText = (text: string) => decodeValue(packWire({ __decimal__: true, as_str: text })) as Decimal;
    const texts = ['101.25', '-0.5', '100', '0.000', '-0', '1e3', 'NaN', '-Infinity', `1.${'2'.repeat(60)}`, '99.5'];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        const first = fromText(text);
        const again = fromText(text);
        expect(again).not.toBe(first);
        expect({ ...again }).toEqual({ ...new Decimal(text) });
        expect(again.toString()).toBe(new Decimal(text).toString());
      }
    }
    // What decimal.js makes of a text follows its current range, also for texts decoded before.
    const { maxE, minE } = Decimal;
    Decimal.set({ maxE: 1, minE: -1 });
    try {
      for (const text of ['101.25', '99.5', '-0.5']) expect({ ...fromText(text) }).toEqual({ ...new Decimal(text) });
      expect(fromText('101.25').isFinite()).toBe(false);
    } finally {
      Decimal.set({ maxE, minE });
    }
    expect(fromText('101.25').toString()).toBe('101.25');
  });

  it('sends integers beyond 32 bits as MessagePack ints, never floats', () => {
    expect(hex(encodeValue(5_000_000_000))).toBe('d3000000012a05f200');
    expect(hex(encodeValue(-5_000_000_000))).toBe('d3fffffffed5fa0e00');
    expect(hex(encodeValue(0xffffffff))).toBe('ceffffffff');
    expect(hex(encodeValue(1.5))).toBe('cb3ff8000000000000');
    expect(trip(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('carries int64 both ways: bigint beyond 2^53, number within', () => {
    expect(trip(2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
    expect(trip(-(2n ** 63n))).toBe(-(2n ** 63n));
    expect(trip(2n ** 64n - 1n)).toBe(2n ** 64n - 1n);
    expect(hex(encodeValue(2n ** 64n - 1n))).toBe('cfffffffffffffffff');
    expect(trip(2n ** 53n + 1n)).toBe(2n ** 53n + 1n);
    expect(trip(42n)).toBe(42);
    expect(hex(encodeValue(42n))).toBe('2a');
    expect(encodeError(2n ** 64n).what).toContain('does not fit in 64 bits');
  });

  it('writes bytes as bin and reads them as a plain, copied Uint8Array', () => {
    expect(hex(encodeValue(Buffer.from([1, 2, 3])))).toBe('c403010203');
    expect(hex(encodeValue(new Uint8Array([1, 2, 3])))).toBe('c403010203');
    const frame = encodeValue({ b: new Uint8Array([9, 8]) });
    const decoded = decodeValue(frame) as { b: Uint8Array };
    expect(decoded.b.constructor).toBe(Uint8Array);
    frame.fill(0);
    expect([...decoded.b]).toEqual([9, 8]);
  });

  it('drops undefined properties and Map entries, sends undefined in arrays and sets as nil', () => {
    expect(trip({ a: undefined, b: 1 })).toEqual({ b: 1 });
    expect(Object.keys(trip({ a: undefined, b: 1 }) as object)).toEqual(['b']);
    expect(trip([1, undefined, 3])).toEqual([1, null, 3]);
    expect(trip(new Set([undefined]))).toEqual(new Set([null]));
    expect(trip(new Map([['a', undefined]]))).toEqual({});
  });

  it('sends Map keys as strings, numbers or the string form of Decimal/UUID/Date', () => {
    const id = new UUID('123E4567-E89B-12D3-A456-426614174000');
    const map = new Map<unknown, unknown>([
      ['s', 1],
      [2, 'two'],
      [new Decimal('1.50'), 'dec'],
      [id, 'id'],
      [new Date(Date.UTC(2020, 0, 2)), 'day'],
    ]);
    expect(trip(map)).toEqual({
      s: 1,
      2: 'two',
      '1.5': 'dec',
      '123e4567-e89b-12d3-a456-426614174000': 'id',
      '2020-01-02T00:00:00+00:00': 'day',
    });
    expect(hex(encodeValue(new Map([[7, true]])))).toBe('8107c3');
    expect(
      encodeError(
        new Map([
          [new Decimal('1.0'), 1],
          [new Decimal('1'), 2],
        ]),
      ).what,
    ).toContain('both sent as "1"');
    expect(encodeError(new Map([[{}, 1]])).what).toContain('Map key of type Object');
  });

  it('keeps null-prototype objects and reads them back as plain objects', () => {
    const bare = Object.assign(Object.create(null), { x: new Decimal(2) });
    expect(trip(bare)).toEqual({ x: new Decimal(2) });
  });

  it('does not change the value it encodes', () => {
    const value = { price: new Decimal('1.5'), list: [new Set([1]), undefined], when: new Date(0) };
    const copy = { ...value, list: [...value.list] };
    encodeValue(value);
    expect(value).toEqual(copy);
    expect(value.list).toHaveLength(2);
  });
});

describe('encode errors name the argument path', () => {
  it.each([
    ['a function', { a: [1, { f: () => 1 }] }, 'value.a[1].f', 'A function cannot be sent'],
    ['a symbol', { s: Symbol('x') }, 'value.s', 'A symbol cannot be sent'],
    ['a class instance', { when: new (class Order {})() }, 'value.when', 'An instance of Order cannot be sent'],
    ['another typed array', { raw: new Uint16Array(2) }, 'value.raw', 'An instance of Uint16Array'],
    ['an invalid Date', { at: new Date(Number.NaN) }, 'value.at', 'Date is invalid'],
    ['a Date outside Python years', { at: new Date('+010000-01-01T00:00:00Z') }, 'value.at', 'outside the years 1-9999'],
    ['a marker key', { x: { __decimal__: true, as_str: '1' } }, 'value.x.__decimal__', 'Key "__decimal__" is reserved'],
    ['a key that is not an identifier', { 'a b': [() => 0] }, 'value["a b"][0]', 'function'],
    ['a Map value', new Map([['k', { f: () => 1 }]]), 'value.k.f', 'function'],
    ['a Set element', { s: new Set([1, () => 1]) }, 'value.s[1]', 'function'],
  ])('%s', (_name, value, path, what) => {
    const error = encodeError(value);
    expect(error.code).toBe('SF_ENCODE_FAILED');
    expect(error.location.argument).toBe(path);
    expect(error.message).toContain(what);
    expect(error.hint).toBeTruthy();
  });

  it('refuses a top-level undefined', () => {
    expect(encodeError(undefined).what).toContain('undefined cannot be sent');
  });

  it('reports a cycle instead of overflowing the stack', () => {
    const looped: Record<string, unknown> = { name: 'a' };
    looped.self = looped;
    expect(encodeError(looped).what).toContain('deeper than 64 levels (or contains a cycle)');
  });

  it('refuses values nested deeper than 64 levels and accepts 64', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'leaf' : [nest(levels - 1)]);
    expect(trip(nest(64))).toEqual(nest(64));
    expect(encodeError(nest(65)).what).toContain('deeper than 64');
    expect(() => encodeValue({ s: nest(62) })).not.toThrow();
    expect(encodeError({ s: new Set([nest(62)]) }).what).toContain('deeper than 64');
  });
});

describe('decodeValue', () => {
  it('keeps keys that start with underscores but are not markers', () => {
    expect(decodeValue(encodeValue({ __x: 1, __set: 2, _decimal_: 3 }))).toEqual({ __x: 1, __set: 2, _decimal_: 3 });
  });

  it('throws DecodeError for bytes that are not one MessagePack object', () => {
    expect(() => decodeValue(new Uint8Array([0x92, 0x01]))).toThrow(DecodeError);
    expect(() => decodeValue(new Uint8Array([0x01, 0x02]))).toThrow(/bytes follow the message/);
    expect(() => decodeValue(new Uint8Array([]))).toThrow(/truncated/);
    expect(() => decodeValue('not bytes' as unknown as Uint8Array)).toThrow(/is not bytes/);
  });
});
