import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../errors.js';
import { Decimal } from '../types/decimal.js';
import { UUID } from '../types/uuid.js';
import { afterTrip, keyArb, valueArb } from './arbitraries.fixture.js';
import { decodeReply, decodeRequest, encodeReply, encodeRequest } from './envelope.js';
import { packWire } from './msgpack.js';
import { frameTopic, topicPrefix } from './topic.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** Hex of ASCII text (only the text; every header byte below is written by hand). */
const t = (text: string) => Buffer.from(text, 'ascii').toString('hex');
const bytes = (hexText: string) => new Uint8Array(Buffer.from(hexText, 'hex'));

describe('exact bytes (the wire format must not drift)', () => {
  it('request with a Decimal', () => {
    const frame = encodeRequest({ args: { price: new Decimal('1.50'), qty: 3 }, workflow_id: null });
    expect(hex(frame)).toBe(
      `82a4${t('args')}82a5${t('price')}82ab${t('__decimal__')}c3a6${t('as_str')}a3${t('1.5')}a3${t('qty')}03ab${t('workflow_id')}c0`,
    );
  });

  it('request with a set, UUID, datetime and bytes', () => {
    const frame = encodeRequest({
      args: {
        tags: new Set(['a']),
        id: new UUID('123E4567-E89B-12D3-A456-426614174000'),
        at: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 123)),
        raw: new Uint8Array([0x00, 0xff]),
      },
      workflow_id: 'w1',
    });
    expect(hex(frame)).toBe(
      `82a4${t('args')}84` +
        `a4${t('tags')}82a7${t('__set__')}c3a5${t('value')}91a1${t('a')}` +
        `a2${t('id')}82a8${t('__uuid__')}c3a6${t('as_str')}d924${t('123e4567-e89b-12d3-a456-426614174000')}` +
        `a2${t('at')}82ac${t('__datetime__')}c3a6${t('as_str')}d920${t('2020-01-02T03:04:05.123000+00:00')}` +
        `a3${t('raw')}c40200ff` +
        `ab${t('workflow_id')}a2${t('w1')}`,
    );
  });

  it('publication with a topic: msgpack(topic) then msgpack(payload)', () => {
    const prefix = topicPrefix('orders');
    expect(hex(prefix)).toBe(`a6${t('orders')}`);
    expect(hex(encodeRequest({ args: {}, workflow_id: 'w1' }, prefix))).toBe(
      `a6${t('orders')}82a4${t('args')}80ab${t('workflow_id')}a2${t('w1')}`,
    );
  });

  it('reply and error reply', () => {
    expect(hex(encodeReply({ return_args: { ok: true }, workflow_id: 'w1' }))).toBe(
      `82ab${t('return_args')}81a2${t('ok')}c3ab${t('workflow_id')}a2${t('w1')}`,
    );
    expect(hex(encodeReply({ return_args: null, workflow_id: null, error: { type: 'ValidationError', message: 'bad' } }))).toBe(
      `83ab${t('return_args')}c0ab${t('workflow_id')}c0a5${t('error')}82a4${t('type')}af${t('ValidationError')}a7${t('message')}a3${t('bad')}`,
    );
  });
});

describe('round trips', () => {
  it('request: any args and workflow id, with and without a topic', () => {
    const prefix = topicPrefix('tópico/ünïcode');
    fc.assert(
      fc.property(fc.dictionary(keyArb, valueArb, { maxKeys: 5 }), fc.option(fc.string()), (args, workflowId) => {
        const expected = { args: afterTrip(args), workflow_id: workflowId };
        expect(decodeRequest(encodeRequest({ args, workflow_id: workflowId }))).toEqual(expected);
        expect(decodeRequest(encodeRequest({ args, workflow_id: workflowId }, prefix), prefix)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('reply: return args or nil, and the error', () => {
    const reply = { return_args: { price: new Decimal('2.5'), when: new Date(0) }, workflow_id: 'w' };
    expect(decodeReply(encodeReply(reply))).toEqual(reply);
    const failed = { return_args: null, workflow_id: null, error: { type: 'HandlerError', message: 'boom' } };
    expect(decodeReply(encodeReply(failed))).toEqual(failed);
    expect(decodeReply(encodeReply({ return_args: null, workflow_id: null }))).toEqual({ return_args: null, workflow_id: null });
  });
});

describe('topics', () => {
  const prefix = topicPrefix('prices');
  const framed = encodeRequest({ args: { p: 1 }, workflow_id: null }, prefix);

  it('a subscriber without a topic skips the publisher topic and reads the payload', () => {
    expect(decodeRequest(framed)).toEqual({ args: { p: 1 }, workflow_id: null });
    expect(frameTopic(framed)).toBe('prices');
    expect(frameTopic(encodeRequest({ args: {}, workflow_id: null }))).toBeNull();
  });

  it('reads long topics (str8 and str16 headers)', () => {
    for (const topic of ['t'.repeat(40), 't'.repeat(300)]) {
      const frame = encodeRequest({ args: { p: 1 }, workflow_id: null }, topicPrefix(topic));
      expect(frameTopic(frame)).toBe(topic);
      expect(decodeRequest(frame).args).toEqual({ p: 1 });
      expect(decodeRequest(frame, topicPrefix(topic)).args).toEqual({ p: 1 });
    }
  });

  it('packs the payload right after the prefix: a plain Uint8Array of prefix + payload that later encodes leave alone', () => {
    for (const topic of ['p', 't'.repeat(254), 't'.repeat(300)]) {
      const topicBytes = topicPrefix(topic);
      const args = { p: new Decimal('1.5'), q: [1, 2] };
      const frame = encodeRequest({ args, workflow_id: 'w' }, topicBytes);
      const expected = hex(topicBytes) + hex(encodeRequest({ args, workflow_id: 'w' }));
      expect(Object.getPrototypeOf(frame)).toBe(Uint8Array.prototype);
      for (let i = 0; i < 2000; i++) encodeRequest({ args: { i }, workflow_id: 'other' }, topicBytes);
      expect(hex(frame)).toBe(expected);
    }
  });

  it('a subscriber with a topic refuses a frame of another topic', () => {
    expect(() => decodeRequest(framed, topicPrefix('orders'))).toThrow(DecodeError);
    expect(() => decodeRequest(framed, topicPrefix('orders'))).toThrow('Frame does not start with topic "orders" (its topic: "prices")');
  });

  it('refuses a topic that is not a string', () => {
    expect(() => topicPrefix(3 as unknown as string)).toThrow(EncodeError);
  });
});

describe('envelope errors', () => {
  it.each([
    ['an array', packWire([1]), 'is an array, not a request envelope'],
    ['a map without args', packWire({ workflow_id: null }), 'a map without "args"'],
    ['args that are not a map', packWire({ args: [1], workflow_id: null }), 'args must be a map, received an array'],
    ['args that are a marker', packWire({ args: { __decimal__: true, as_str: '1' } }), 'received a marker for a Decimal'],
    [
      'a workflow id that is not a string',
      packWire({ args: {}, workflow_id: 7 }),
      'workflow_id must be a string, nil or a UUID/Decimal/datetime marker',
    ],
    ['a workflow id that is a plain map', packWire({ args: {}, workflow_id: { id: 'x' } }), 'received a map'],
    ['a workflow id that is a set marker', packWire({ args: {}, workflow_id: { __set__: true, value: [] } }), 'received a map'],
    [
      'a workflow id that is a malformed UUID marker',
      packWire({ args: {}, workflow_id: { __uuid__: true, as_str: 'nope' } }),
      'workflow_id is a malformed marker: Bad __uuid__ marker',
    ],
    ['a frame topic with nothing after it', packWire('orders'), 'is a string, not a request envelope'],
  ])('request: %s', (_name, frame, message) => {
    expect(() => decodeRequest(frame)).toThrow(DecodeError);
    expect(() => decodeRequest(frame)).toThrow(message);
  });

  it.each([
    ['a request', packWire({ args: {}, workflow_id: null }), 'a map without "return_args"'],
    ['return args that are not a map', packWire({ return_args: 'x', workflow_id: null }), 'return_args must be a map'],
    ['a malformed error', packWire({ return_args: null, workflow_id: null, error: 'x' }), 'error must be a map'],
  ])('reply: %s', (_name, frame, message) => {
    expect(() => decodeReply(frame)).toThrow(DecodeError);
    expect(() => decodeReply(frame)).toThrow(message);
  });

  it('reads a workflow id sent as a marker (Python 0.0.3 sends uuid.UUID objects) as its string form', () => {
    const uuid = { __uuid__: true, as_str: '123E4567-E89B-12D3-A456-426614174000' };
    expect(decodeRequest(packWire({ args: { a: 1 }, workflow_id: uuid }))).toEqual({
      args: { a: 1 },
      workflow_id: '123e4567-e89b-12d3-a456-426614174000',
    });
    expect(decodeRequest(packWire({ args: {}, workflow_id: { __decimal__: true, as_str: '7.50' } })).workflow_id).toBe('7.5');
    expect(decodeRequest(packWire({ args: {}, workflow_id: { __datetime__: true, as_str: '2020-01-02T03:04:05' } })).workflow_id).toBe(
      '2020-01-02T03:04:05+00:00',
    );
    const prefix = topicPrefix('prices');
    const framed = new Uint8Array([...prefix, ...packWire({ args: {}, workflow_id: uuid })]);
    expect(decodeRequest(framed, prefix).workflow_id).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(decodeReply(packWire({ return_args: { ok: true }, workflow_id: uuid }))).toEqual({
      return_args: { ok: true },
      workflow_id: '123e4567-e89b-12d3-a456-426614174000',
    });
  });

  it('reads a request without workflow_id, ignoring unknown top-level keys', () => {
    expect(decodeRequest(packWire({ args: { a: 1 }, extra: [1, 2] }))).toEqual({ args: { a: 1 }, workflow_id: null });
  });

  it('names the argument path of a bad value inside args', () => {
    const frame = bytes(`81a4${t('args')}81a5${t('order')}81a5${t('price')}82ab${t('__decimal__')}c3a6${t('as_str')}a3${t('abc')}`);
    const error = (() => {
      try {
        decodeRequest(frame);
      } catch (caught) {
        return caught as DecodeError;
      }
    })();
    expect(error).toBeInstanceOf(DecodeError);
    expect(error?.location.argument).toBe('args.order.price');
    expect(error?.message).toContain('"abc" is not a decimal number');
  });

  it('encode: args must be a plain object, workflow_id a string or null, paths are named', () => {
    expect(() => encodeRequest({ args: [] as unknown as Record<string, unknown>, workflow_id: null })).toThrow(
      'args must be a plain object, received an array',
    );
    expect(() => encodeRequest({ args: {}, workflow_id: 5 as unknown as string })).toThrow(EncodeError);
    expect(() => encodeReply({ return_args: null, workflow_id: null, error: { type: 1 } as never })).toThrow(
      'error must be {type: string, message: string}',
    );
    try {
      encodeRequest({ args: { order: { price: () => 1 } }, workflow_id: null });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EncodeError);
      expect((error as EncodeError).location.argument).toBe('args.order.price');
    }
  });
});
