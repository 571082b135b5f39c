import { Decoder, Encoder, ExtData } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExtensionValue, ReadFault, readMessagePack } from './msgpack-reader.js';

const hex = (text: string) => new Uint8Array(Buffer.from(text.replaceAll(' ', ''), 'hex'));
const keyAsText = (key: unknown): string | number => (typeof key === 'number' ? key : String(key));
const read = (frame: Uint8Array, depth = 64) => readMessagePack(frame, depth, keyAsText);

// The reader replaced @msgpack/msgpack's Decoder, and must read valid frames as it did.
const reference = new Decoder({ useBigInt64: true, mapKeyConverter: keyAsText });
const encoder = new Encoder({ useBigInt64: true });

/** Plain MessagePack values (no extensions), with every integer and string width. */
const plainValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.integer({ min: -200, max: 300 }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.double(),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.string({ unit: 'binary', minLength: 30, maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }),
    fc.array(tie('value'), { maxLength: 20 }),
    fc.dictionary(fc.string({ maxLength: 20 }).filter((key) => key !== '__proto__'), tie('value'), { maxKeys: 20 }),
  ),
})).value;

describe('readMessagePack', () => {
  it('reads every valid frame as @msgpack/msgpack did', () => {
    fc.assert(
      fc.property(plainValue, (value) => {
        const frame = encoder.encode(value);
        expect(read(frame)).toEqual(reference.decode(frame));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads each type family at its widths', () => {
    expect(read(hex('7f'))).toBe(127);
    expect(read(hex('e0'))).toBe(-32);
    expect(read(hex('cc ff'))).toBe(255);
    expect(read(hex('cd ffff'))).toBe(65535);
    expect(read(hex('ce ffffffff'))).toBe(4294967295);
    expect(read(hex('cf ffffffffffffffff'))).toBe(2n ** 64n - 1n);
    expect(read(hex('d0 80'))).toBe(-128);
    expect(read(hex('d1 8000'))).toBe(-32768);
    expect(read(hex('d2 80000000'))).toBe(-2147483648);
    expect(read(hex('d3 8000000000000000'))).toBe(-(2n ** 63n));
    expect(read(hex('ca 3fc00000'))).toBe(1.5);
    expect(read(hex('cb 3ff8000000000000'))).toBe(1.5);
    expect(read(hex('d9 03 616263'))).toBe('abc');
    expect(read(hex('da 0003 616263'))).toBe('abc');
    expect(read(hex('db 00000003 616263'))).toBe('abc');
    expect(read(hex('a3 e282ac'))).toBe('€');
    expect(read(hex('c4 02 0102'))).toEqual(new Uint8Array([1, 2]));
    expect(read(hex('c5 0002 0102'))).toEqual(new Uint8Array([1, 2]));
    expect(read(hex('c6 00000002 0102'))).toEqual(new Uint8Array([1, 2]));
    expect(read(hex('dc 0002 01 02'))).toEqual([1, 2]);
    expect(read(hex('dd 00000002 01 02'))).toEqual([1, 2]);
    expect(read(hex('de 0001 a161 01'))).toEqual({ a: 1 });
    expect(read(hex('df 00000001 a161 01'))).toEqual({ a: 1 });
    expect(read(hex('81 01 a178'))).toEqual({ 1: 'x' });
  });

  it('reads the timestamp extension as a Date and keeps other extensions as ExtensionValue', () => {
    for (const date of [new Date(Date.UTC(2020, 0, 2, 3, 4, 5)), new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 678)), new Date(Date.UTC(1960, 0, 1))]) {
      const frame = encoder.encode(date);
      expect(read(frame)).toEqual(reference.decode(frame));
      expect(read(frame)).toEqual(date);
    }
    for (const [frame, type, size] of [
      ['d4 05 01', 5, 1],
      ['d8 7f 00112233445566778899aabbccddeeff', 127, 16],
      ['c7 03 80 010203', -128, 3],
    ] as const) {
      const value = read(hex(frame));
      expect(value).toBeInstanceOf(ExtensionValue);
      expect(value).toMatchObject({ type, data: expect.any(Uint8Array) });
      expect((value as ExtensionValue).data.length).toBe(size);
      expect(reference.decode(hex(frame))).toBeInstanceOf(ExtData);
    }
    expect(() => read(hex('c7 03 ff 010203'))).toThrow('a timestamp extension has 3 bytes, not 4, 8 or 12');
  });

  it('refuses truncated frames, trailing bytes, unknown type bytes and __proto__ keys with a ReadFault', () => {
    expect(() => read(hex(''))).toThrow(new ReadFault('it is truncated'));
    expect(() => read(hex('92 01'))).toThrow('it is truncated');
    expect(() => read(hex('cd 01'))).toThrow('it is truncated');
    expect(() => read(hex('01 02'))).toThrow('bytes follow the message (1 of 2)');
    expect(() => read(hex('c1'))).toThrow('type byte 0xc1 is not MessagePack');
    expect(() => read(hex(`81 a9 ${Buffer.from('__proto__').toString('hex')} 01`))).toThrow('a map has the key __proto__');
  });

  it('refuses lengths beyond the frame before allocating them', () => {
    for (const frame of ['dd ffffffff', 'df ffffffff', 'db ffffffff 61', 'c6 ffffffff 00', 'c9 ffffffff 01 00']) {
      expect(() => read(hex(frame))).toThrow(new ReadFault('it is truncated'));
    }
  });

  it('reads up to the depth limit and refuses one level more, also through map keys', () => {
    expect(read(new Uint8Array([...new Array(5).fill(0x91), 0xc0]), 5)).toEqual([[[[[null]]]]]);
    const deep = () => read(new Uint8Array([...new Array(6).fill(0x91), 0xc0]), 5);
    expect(deep).toThrow('it nests deeper than 5 levels');
    try {
      deep();
    } catch (error) {
      expect((error as ReadFault).tooDeep).toBe(true);
    }
    expect(() => read(new Uint8Array(100_000).fill(0x91), 64)).toThrow('deeper than 64 levels');
    expect(() => read(hex('81 81 81 a1 61 01 01 01'), 2)).toThrow('deeper than 2 levels');
  });

  it('hands non-string keys to the converter and passes on what it throws', () => {
    const refuse = (key: unknown): string => {
      throw new Error(`no ${String(key)}`);
    };
    expect(() => readMessagePack(hex('81 c3 01'), 64, refuse)).toThrow('no true');
    expect(readMessagePack(hex('81 a1 61 01'), 64, refuse)).toEqual({ a: 1 });
  });

  it('never throws anything but a ReadFault on random bytes, and reads again after a failure', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (frame) => {
        try {
          read(frame);
        } catch (error) {
          if (!(error instanceof ReadFault)) throw error;
        }
        expect(read(hex('81 a1 61 01'))).toEqual({ a: 1 });
      }),
      { numRuns: 5000 },
    );
  });
});
