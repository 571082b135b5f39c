import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { UUID } from '../types/uuid.js';
import { decodeReply, decodeRequest, encodeRequest } from './envelope.js';
import { packWire } from './msgpack.js';
import { topicPrefix } from './topic.js';
import { decodeValue } from './values.js';

const bytes = (hexText: string) => new Uint8Array(Buffer.from(hexText, 'hex'));
const decoders = [
  decodeValue,
  (frame: Uint8Array) => decodeRequest(frame),
  decodeReply,
  (frame: Uint8Array) => decodeRequest(frame, topicPrefix('t')),
];

/** Runs `decode`; passes if it returns or throws a DecodeError, fails on any other exception. */
function onlyDecodeError(decode: (frame: Uint8Array) => unknown, frame: Uint8Array): void {
  try {
    decode(frame);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw new Error(`${String(error)} for ${Buffer.from(frame).toString('hex')}`);
  }
}

function decodeError(frame: Uint8Array): DecodeError {
  try {
    decodeValue(frame);
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    return error as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

const sample = encodeRequest(
  {
    args: {
      price: new Decimal('1.5'),
      tags: new Set(['a', 2]),
      id: UUID.random(),
      at: new Date(),
      raw: new Uint8Array([1, 2]),
      big: 2n ** 62n,
      list: [1.5, null, { x: 'é' }],
    },
    workflow_id: 'wf',
  },
  topicPrefix('t'),
);

describe('untrusted input never raises anything but DecodeError', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (frame) => {
        for (const decode of decoders) onlyDecodeError(decode, frame);
      }),
      { numRuns: 3000 },
    );
  });

  it('random mutations of a valid frame', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (edits) => {
          const frame = sample.slice();
          for (const [at, value] of edits) frame[at] = value;
          for (const decode of decoders) onlyDecodeError(decode, frame);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('every truncation of a valid frame is refused', () => {
    const payload = sample.subarray(topicPrefix('t').length);
    for (let length = 0; length < sample.length; length++) {
      for (const decode of decoders.slice(1)) expect(() => decode(sample.subarray(0, length))).toThrow(DecodeError);
    }
    for (let length = 0; length < payload.length; length++) expect(() => decodeValue(payload.subarray(0, length))).toThrow(DecodeError);
    expect(decodeRequest(sample, topicPrefix('t')).workflow_id).toBe('wf');
  });

  it('trailing garbage is refused', () => {
    const frame = new Uint8Array([...sample, 0xc0]);
    expect(() => decodeRequest(frame, topicPrefix('t'))).toThrow(/bytes follow the message/);
  });

  it('lengths far beyond the frame are refused without allocating them', () => {
    for (const head of ['ddffffffff', 'dfffffffff', 'dbffffffff61', 'c6ffffffff00', 'c9ffffffff0100']) {
      expect(() => decodeValue(bytes(head))).toThrow(DecodeError);
    }
  });

  it('100 000 levels of nesting are refused, 64 are read', () => {
    expect(decodeError(new Uint8Array([...new Array(100_000).fill(0x91), 0xc0])).what).toContain('deeper than 64 levels');
    expect(decodeError(new Uint8Array([...new Array(50_000).fill([0x81, 0xa1, 0x6b]).flat(), 0xc0])).what).toContain(
      'deeper than 64 levels',
    );
    let nested: unknown = null;
    for (let i = 0; i < 64; i++) nested = [nested];
    expect(decodeValue(new Uint8Array([...new Array(64).fill(0x91), 0xc0]))).toEqual(nested);
    expect(() => decodeValue(new Uint8Array([...new Array(65).fill(0x91), 0xc0]))).toThrow(DecodeError);
  });
});

describe('bad markers', () => {
  it.each([
    ['no as_str', { __decimal__: true }, 'Bad __decimal__ marker'],
    ['as_str not a decimal', { __decimal__: true, as_str: '1,5' }, '"1,5" is not a decimal number'],
    ['hex as_str', { __decimal__: true, as_str: '0x1f' }, 'is not a decimal number'],
    ['as_str a number', { __decimal__: true, as_str: 1.5 }, 'Bad __decimal__ marker'],
    ['marker false', { __decimal__: false, as_str: '1' }, 'Bad __decimal__ marker'],
    ['an extra key', { __decimal__: true, as_str: '1', x: 1 }, 'Bad __decimal__ marker'],
    ['two markers', { __decimal__: true, __uuid__: true }, 'two markers'],
    ['set without a list', { __set__: true, value: 'ab' }, 'Bad __set__ marker'],
    ['bad UUID', { __uuid__: true, as_str: 'not-a-uuid' }, '"not-a-uuid" is not a UUID'],
    ['bad datetime', { __datetime__: true, as_str: '2020-13-01' }, '"2020-13-01" is not one'],
  ])('%s', (name, marker, message) => {
    const error = decodeError(packWire({ outer: [marker] }));
    expect(error.message).toContain(message);
    expect(error.location.argument).toBe(name === 'two markers' ? 'value.outer[0].__uuid__' : 'value.outer[0]');
  });

  it('a marker-looking key that is not one of the four is plain data', () => {
    expect(decodeValue(packWire({ __decimals__: true, as_str: '1' }))).toEqual({ __decimals__: true, as_str: '1' });
  });

  it('a bad marker nested in a set names the wire path', () => {
    const error = decodeError(packWire({ s: { __set__: true, value: [1, { __uuid__: true, as_str: 'x' }] } }));
    expect(error.location.argument).toBe('value.s.value[1]');
  });
});

describe('map keys', () => {
  it('number keys become strings, Decimal/UUID/datetime marker keys their string form', () => {
    const decimalKey = { __decimal__: true, as_str: '101.50' };
    const uuidKey = { __uuid__: true, as_str: '123E4567-E89B-12D3-A456-426614174000' };
    const dateKey = { __datetime__: true, as_str: '2020-01-02T03:04:05' };
    const frame = packWire(
      new Map<unknown, unknown>([
        [1, 'a'],
        [-2.5, 'b'],
        [2n ** 62n, 'c'],
        [decimalKey, 'd'],
        [uuidKey, 'e'],
        [dateKey, 'f'],
      ]),
    );
    expect(decodeValue(frame)).toEqual({
      1: 'a',
      '-2.5': 'b',
      [String(2n ** 62n)]: 'c',
      '101.5': 'd',
      '123e4567-e89b-12d3-a456-426614174000': 'e',
      '2020-01-02T03:04:05+00:00': 'f',
    });
  });

  it.each([
    ['nil', null, 'nil'],
    ['boolean', true, 'boolean'],
    ['bin', new Uint8Array([1]), 'bin'],
    ['array', [1], 'array'],
    ['plain map', { a: 1 }, 'map'],
  ])('a %s key is refused', (_name, key, type) => {
    expect(decodeError(packWire(new Map([[key, 1]]))).message).toContain(`A map key of type ${type} is not supported`);
  });

  it('a bad marker key is refused', () => {
    expect(decodeError(packWire(new Map([[{ __decimal__: true, as_str: 'x' }, 1]]))).message).toContain('bad map key');
  });

  it('__proto__ keys are refused and nothing is polluted', () => {
    const frame = bytes(`81a9${Buffer.from('__proto__').toString('hex')}81a6${Buffer.from('polled').toString('hex')}c3`);
    expect(() => decodeValue(frame)).toThrow(DecodeError);
    expect(({} as Record<string, unknown>).polled).toBeUndefined();
    expect(decodeValue(packWire({ constructor: 1, toString: 'x' }))).toEqual({ constructor: 1, toString: 'x' });
  });
});

describe('extension types', () => {
  it('refuses extension types, including msgpackr records', () => {
    expect(decodeError(bytes('d40501')).message).toContain('extension type 5 is not part of the wire format');
    expect(decodeError(bytes('81a178d40501')).location.argument).toBe('value.x');
    expect(() => decodeValue(bytes('d47240'))).toThrow(DecodeError);
  });

  it('reads a MessagePack timestamp as a Date', () => {
    expect(decodeValue(bytes('d6ff5e0d5da5'))).toEqual(new Date(Date.UTC(2020, 0, 2, 3, 4, 5)));
  });
});
