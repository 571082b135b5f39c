import { Decoder } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors.js';
import { decodeRequest, encodeRequest } from './envelope.js';
import { EXTERNAL_STRING_BYTES, newFrame, packWire, SHORT_STRING_BYTES, SLAB_FRAME_BYTES, unpackWire } from './msgpack.js';

/** A string of `length` code points cycling through those of `alphabet`. */
function text(length: number, alphabet: string): string {
  const points = Array.from(alphabet);
  if (points.length === 1 || length < 1000) return Array.from({ length }, (_, i) => points[i % points.length]).join('');
  return alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length);
}

describe('long strings (the external-string path of unpackWire)', () => {
  it('decodes a long ASCII string exactly, at the threshold and over it, alone and inside a request', () => {
    for (const length of [EXTERNAL_STRING_BYTES - 1, EXTERNAL_STRING_BYTES, EXTERNAL_STRING_BYTES + 4096]) {
      const value = text(length, 'abcdefghijklmnopqrstuvwxyz0123456789 ~\u007f');
      expect(unpackWire(packWire(value), 'frame')).toBe(value);
      const decoded = decodeRequest(encodeRequest({ args: { memo: value, n: 1 }, workflow_id: 'w' }));
      expect(decoded).toEqual({ args: { memo: value, n: 1 }, workflow_id: 'w' });
    }
  });

  it('decodes a long string that is not ASCII as UTF-8 (the library path)', () => {
    const value = `${text(EXTERNAL_STRING_BYTES, 'x')}é€😀`;
    expect(unpackWire(packWire(value), 'frame')).toBe(value);
  });

  it('decodes a long ASCII string that starts at an odd offset of a larger buffer', () => {
    const value = text(EXTERNAL_STRING_BYTES + 7, 'ab');
    const packed = packWire({ a: 1, memo: value, z: 'end' });
    const host = new Uint8Array(packed.length + 3);
    host.set(packed, 3);
    expect(unpackWire(host.subarray(3), 'frame')).toEqual({ a: 1, memo: value, z: 'end' });
  });

  it('refuses a frame whose long string is cut short', () => {
    const packed = packWire(text(EXTERNAL_STRING_BYTES + 10, 'q'));
    expect(() => unpackWire(packed.subarray(0, packed.length - 1), 'frame')).toThrow(DecodeError);
  });

  it('relies on a hook the library still calls for every string (@msgpack/msgpack 3.1.x)', () => {
    const probe = new Decoder() as unknown as { decodeUtf8String: (...args: unknown[]) => unknown };
    const original = probe.decodeUtf8String;
    expect(typeof original).toBe('function');
    let calls = 0;
    probe.decodeUtf8String = function (this: unknown, ...args: unknown[]) {
      calls += 1;
      return original.apply(this, args);
    };
    expect((probe as unknown as Decoder).decode(packWire({ key: 'value', list: ['a'] }))).toEqual({ key: 'value', list: ['a'] });
    expect(calls).toBe(4);
  });
});

describe('short strings (the latin1 path of unpackWire)', () => {
  it('decodes short values of every length exactly, ASCII or not, as Buffer or Uint8Array frames, keys included', () => {
    for (let length = 0; length <= SHORT_STRING_BYTES + 2; length++) {
      for (const alphabet of ['abc-XYZ_09 ~', '\u0000\u007f', 'aé', '€x', '😀']) {
        const value = text(length, alphabet);
        const map = { [value]: value, list: [value, `${value}!`], nested: { k: value } };
        const packed = packWire(map);
        expect(unpackWire(packed, 'frame')).toEqual(map);
        expect(unpackWire(Buffer.from(packed), 'frame')).toEqual(map);
      }
    }
  });

  it('refuses a frame cut inside a short string', () => {
    const packed = packWire({ a: 'abcdefgh' });
    expect(() => unpackWire(packed.subarray(0, packed.length - 2), 'frame')).toThrow(DecodeError);
  });
});

describe('frames cut from a shared slab (4–32 KB)', () => {
  it('gives every frame bytes of its own: frames kept across many later encodes keep their content', () => {
    const kept: { frame: Uint8Array; memo: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const memo = text(4000 + ((i * 977) % (SLAB_FRAME_BYTES - 4100)), String.fromCharCode(97 + (i % 26)));
      kept.push({ frame: encodeRequest({ args: { memo, i }, workflow_id: null }), memo });
    }
    kept.forEach(({ frame, memo }, i) => {
      expect(decodeRequest(frame).args).toEqual({ memo, i });
    });
  });

  it('hands out exact lengths, never overlapping, at the edges of the slab range', () => {
    const sizes = [4096, 4097, 10_240, SLAB_FRAME_BYTES, SLAB_FRAME_BYTES + 1, 100];
    const frames = Array.from({ length: 60 }, (_, i) => newFrame(sizes[i % sizes.length]!));
    frames.forEach((frame, i) => {
      expect(frame.length).toBe(sizes[i % sizes.length]);
      frame.fill(i);
    });
    frames.forEach((frame, i) => {
      expect(frame.every((byte) => byte === i)).toBe(true);
    });
  });
});
