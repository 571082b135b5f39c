/**
 * Topic framing (SPEC §4): a frame with a topic is `msgpack(topic)` immediately followed by
 * `msgpack(payload)`; subscribers subscribe to the prefix bytes `msgpack(topic)`.
 *
 * A subscriber without a topic takes every frame. When such a frame starts with a complete
 * MessagePack string and more bytes follow, that string is a publisher's topic: it is skipped and
 * the rest decoded as the payload (a payload is always a map, so this cannot misread one).
 */
import { DecodeError, EncodeError } from '../errors.js';
import { leadingString, newFrame, packWire } from './msgpack.js';

const utf8 = new TextDecoder();

/** The prefix bytes `msgpack(topic)`: build once, then frame payloads with it and subscribe to it. */
export function topicPrefix(topic: string): Uint8Array {
  if (typeof topic !== 'string') {
    throw new EncodeError(`Topic must be a string, received ${topic === null ? 'null' : typeof topic}`, {
      hint: 'Set the topic option to a string',
    });
  }
  return packWire(topic);
}

/** `prefix` followed by `payload`, in one new buffer; an empty prefix returns `payload`. */
export function framePayload(prefix: Uint8Array, payload: Uint8Array): Uint8Array {
  if (prefix.length === 0) return payload;
  const frame = newFrame(prefix.length + payload.length);
  frame.set(prefix, 0);
  frame.set(payload, prefix.length);
  return frame;
}

function startsWith(frame: Uint8Array, prefix: Uint8Array): boolean {
  if (frame.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (frame[i] !== prefix[i]) return false;
  return true;
}

/** The topic a frame starts with (a complete string followed by more bytes), else `null`. */
export function frameTopic(frame: Uint8Array): string | null {
  const span = leadingString(frame);
  if (span === undefined || span.end >= frame.length) return null;
  return utf8.decode(frame.subarray(span.start, span.end));
}

/**
 * The payload of `frame`. With a non-empty `prefix` the frame must start with it (DecodeError
 * otherwise); without one a leading topic string is skipped (see the module comment).
 */
export function stripTopic(frame: Uint8Array, prefix?: Uint8Array): Uint8Array {
  if (prefix !== undefined && prefix.length > 0) {
    if (!startsWith(frame, prefix)) {
      const expected = leadingString(prefix);
      const topic = expected ? JSON.stringify(utf8.decode(prefix.subarray(expected.start, expected.end))) : 'prefix';
      const actual = frameTopic(frame);
      throw new DecodeError(`Frame does not start with topic ${topic} (its topic: ${actual === null ? 'none' : JSON.stringify(actual)})`, {
        hint: 'Subscribe with the topic the publisher uses',
      });
    }
    return frame.subarray(prefix.length);
  }
  const span = leadingString(frame);
  return span !== undefined && span.end < frame.length ? frame.subarray(span.end) : frame;
}
