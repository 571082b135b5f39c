import { Decoder } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors.js';
import { valueArb } from './arbitraries.fixture.js';
import { decodeRequest, encodeRequest } from './envelope.js';
import { MARKER_TEXT_MAX, WIRE_MAX_DEPTH } from './markers.js';
import { packWire } from './msgpack.js';
import { toWire } from './to-wire.js';
import { decodeValue } from './values.js';
import { checkWireBudget, DEFAULT_WIRE_LIMITS } from './wire-budget.js';
import { WireFault } from './wire-path.js';

/** `count` one-element arrays nested in each other around a 0: 0x91 × count, then 0x00. */
function nestedArrays(count: number): Uint8Array {
  const frame = new Uint8Array(count + 1).fill(0x91);
  frame[count] = 0;
  return frame;
}

function refusal(frame: Uint8Array, limits = DEFAULT_WIRE_LIMITS): string {
  try {
    checkWireBudget(frame, 0, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(WireFault);
    return (error as WireFault).message;
  }
  return 'accepted';
}

describe('checkWireBudget', () => {
  it('accepts every value the encoder writes, as deep as the encoder allows', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        expect(refusal(packWire(toWire(value, 0)))).toBe('accepted');
      }),
      { numRuns: 300 },
    );
    expect(refusal(nestedArrays(WIRE_MAX_DEPTH))).toBe('accepted');
  });

  it('refuses a frame of nested arrays at the depth cap, without decoding it (16 MB of 0x91)', () => {
    expect(refusal(nestedArrays(WIRE_MAX_DEPTH + 1))).toBe(`it nests deeper than ${WIRE_MAX_DEPTH} levels`);
    const huge = nestedArrays(16 * 1024 * 1024);
    expect(refusal(huge)).toBe(`it nests deeper than ${WIRE_MAX_DEPTH} levels`);
    const error = (() => {
      try {
        decodeValue(huge);
      } catch (caught) {
        return caught as DecodeError;
      }
    })();
    expect(error).toBeInstanceOf(DecodeError);
    expect(error?.message).toMatch(`Value frame is refused before decoding: it nests deeper than ${WIRE_MAX_DEPTH} levels`);
  });

  it('counts every array item and map entry of the frame against max_elements', () => {
    const wide = packWire({ a: [1, 2, 3], b: { c: 1, d: 2 } });
    // 2 entries at the top, 3 items, 2 entries: 7 elements.
    expect(refusal(wide, { maxDepth: 64, maxElements: 7 })).toBe('accepted');
    expect(refusal(wide, { maxDepth: 64, maxElements: 6 })).toBe('it holds more than 6 elements (array items and map entries)');
    const many = packWire({ args: { items: new Array(2_000_000).fill(0) }, workflow_id: null });
    expect(() => decodeRequest(many)).toThrow(/refused before decoding: it holds more than 1000000 elements/);
  });

  it('honours a lower max_nesting_depth from the endpoint', () => {
    const frame = encodeRequest({ args: { a: { b: { c: 1 } } }, workflow_id: null });
    expect(() => decodeRequest(frame, undefined, { maxDepth: 3, maxElements: 100 })).toThrow(/nests deeper than 3 levels/);
    expect(decodeRequest(frame, undefined, { maxDepth: 4, maxElements: 100 }).args).toEqual({ a: { b: { c: 1 } } });
  });

  it('refuses a container header that claims more items than bytes are left', () => {
    // array32 of 2^32-1 items in a 9-byte frame; map32 likewise.
    expect(refusal(Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]))).toMatch(/truncated/);
    expect(refusal(Uint8Array.from([0xdf, 0x00, 0x00, 0x00, 0x03, 1, 2, 3, 4, 5]))).toMatch(/truncated/);
    expect(refusal(Uint8Array.from([0xdb, 0x00, 0x10, 0x00, 0x00, 0x61]))).toMatch(/truncated/);
    expect(refusal(Uint8Array.from([0xc1]))).toMatch(/starts no MessagePack value/);
  });

  it('agrees with the decoder on random bytes: what it accepts the decoder reads or refuses only for what follows', () => {
    const decoder = new Decoder({ useBigInt64: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (frame) => {
        if (refusal(frame) !== 'accepted') return;
        try {
          decoder.decode(frame);
        } catch (error) {
          // Accepted by the budget, so the only thing wrong can be extra bytes after the object or a bad string/key.
          expect(String(error)).not.toMatch(/Insufficient data|outside the bounds/);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('marker text', () => {
  it(`refuses an as_str longer than ${MARKER_TEXT_MAX} characters before any pattern runs, quoting only its start`, () => {
    const text = `${'1'.repeat(200_000)}x`;
    const frame = packWire({ args: { price: { __decimal__: true, as_str: text } }, workflow_id: null });
    let message = '';
    try {
      decodeRequest(frame);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/its text is 200001 characters, more than 1000/);
    expect(message.length).toBeLessThan(400);
  });

  it('reads a long but valid decimal and refuses a bad one under the cap with a short quote', () => {
    const digits = '9'.repeat(MARKER_TEXT_MAX - 2);
    const ok = decodeRequest(packWire({ args: { p: { __decimal__: true, as_str: `${digits}.5` } }, workflow_id: null }));
    expect((ok.args.p as { toFixed(): string }).toFixed()).toBe(`${digits}.5`);
    const bad = packWire({ args: { p: { __decimal__: true, as_str: `${'1'.repeat(900)}x` } }, workflow_id: null });
    expect(() => decodeRequest(bad)).toThrow(/"1{39}…" \(901 chars\) is not a decimal number/);
  });
});
