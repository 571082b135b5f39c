/**
 * The one place that imports the MessagePack libraries; both are configured once, here.
 *
 * Encoding uses msgpackr: faster (figures in docs/performance.md, "MessagePack libraries"), and it
 * writes a JS Map with its own key types (number keys), which @msgpack/msgpack cannot. Configured
 * for plain MessagePack only: no records or structures, no bundled strings, no extension types,
 * canonical (smallest) map headers.
 * Decoding uses @msgpack/msgpack: close to msgpackr and the safer reader of untrusted
 * frames. It knows only the MessagePack spec, whereas msgpackr's reader acts on its own
 * extensions in any input (record definitions that compile readers, pointers that build cycles,
 * Error/RegExp/typed-array types); it is iterative, so deep nesting cannot overflow the stack;
 * it refuses `__proto__` keys (msgpackr renames them); and its map-key hook lets us read the
 * Decimal-marker dict keys Python sends. So both stay dependencies.
 */
import { Decoder } from '@msgpack/msgpack';
import { Packr, RESET_BUFFER_MODE } from 'msgpackr';
import { DecodeError } from '../errors.js';
import { mapKeyFromWire } from './from-wire.js';
import { KeyCache } from './key-cache.js';
import { checkWireBudget, DEFAULT_WIRE_LIMITS, type WireLimits } from './wire-budget.js';
import { WireFault } from './wire-path.js';

const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
  variableMapSize: true,
  encodeUndefinedAsNil: true,
  largeBigIntToFloat: false,
  useToJSON: false,
});

const decoder = new Decoder({ useBigInt64: true, mapKeyConverter: mapKeyFromWire, keyDecoder: new KeyCache() });

/**
 * MessagePack bytes of a wire value (as built by `toWire`), after `prefix` when given (a topic),
 * in a plain Uint8Array of their own. msgpackr packs into its one reused buffer
 * (RESET_BUFFER_MODE) and the bytes are copied out once: left to itself it packs each frame into
 * fresh memory after the last one, and for a long string regrows that buffer to about 12× the
 * string's length, copying its unused tail (docs/performance.md, "Large messages").
 */
export function packWire(value: unknown, prefix?: Uint8Array): Uint8Array {
  const packed = packr.pack(value, RESET_BUFFER_MODE);
  const room = prefix?.length ?? 0;
  const frame = newFrame(room + packed.length);
  if (prefix !== undefined) frame.set(prefix, 0);
  frame.set(packed, room);
  return frame;
}

/** A plain Uint8Array of `length` bytes for the caller to fill entirely. */
export function newFrame(length: number): Uint8Array {
  // allocUnsafe: small frames are slices of Node's shared pool, large ones skip the zero-fill.
  const owned = Buffer.allocUnsafe(length);
  return new Uint8Array(owned.buffer, owned.byteOffset, length);
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Insufficient data') || message.includes('outside the bounds')) return 'it is truncated';
  if (message.startsWith('Extra ')) return `bytes follow the message (${message})`;
  return message;
}

/** Throws DecodeError unless `frame` is bytes. */
export function assertFrame(frame: unknown, what: string): asserts frame is Uint8Array {
  if (!(frame instanceof Uint8Array)) {
    throw new DecodeError(`${what} is not bytes (received ${frame === null ? 'null' : typeof frame})`, {
      hint: 'Pass the frame as a Uint8Array or Buffer',
    });
  }
}

/**
 * Decodes exactly one MessagePack object filling `frame`; `what` names it in errors. The frame's
 * budget (`limits`: depth, elements, declared lengths) is checked over its bytes first, so a
 * hostile frame is refused before any of its tree is built.
 */
export function unpackWire(frame: Uint8Array, what: string, limits: WireLimits = DEFAULT_WIRE_LIMITS): unknown {
  assertFrame(frame, what);
  try {
    checkWireBudget(frame, 0, limits);
  } catch (error) {
    if (!(error instanceof WireFault)) throw error;
    throw new DecodeError(`${what} is refused before decoding: ${error.message}`, {
      hint: error.hint ?? 'The sender must send one MessagePack object per frame (SPEC §4)',
      cause: error,
    });
  }
  try {
    return decoder.decode(frame);
  } catch (error) {
    if (error instanceof WireFault)
      throw new DecodeError(`${what} has a bad map key: ${error.message}`, { hint: error.hint, cause: error });
    throw new DecodeError(`${what} is not valid MessagePack: ${reason(error)}`, {
      hint: 'The sender must send one MessagePack object per frame (SPEC §4)',
      cause: error,
    });
  }
}

/** Where the text of a MessagePack string that starts `frame` lies, or `undefined` if `frame` does not start with a complete one. */
export function leadingString(frame: Uint8Array): { start: number; end: number } | undefined {
  const head = frame[0];
  if (head === undefined) return undefined;
  let start: number;
  let length: number;
  if (head >= 0xa0 && head <= 0xbf) {
    start = 1;
    length = head & 0x1f;
  } else if (head === 0xd9 && frame.length >= 2) {
    start = 2;
    length = frame[1]!;
  } else if (head === 0xda && frame.length >= 3) {
    start = 3;
    length = (frame[1]! << 8) | frame[2]!;
  } else if (head === 0xdb && frame.length >= 5) {
    start = 5;
    length = ((frame[1]! << 24) | (frame[2]! << 16) | (frame[3]! << 8) | frame[4]!) >>> 0;
  } else {
    return undefined;
  }
  const end = start + length;
  return end <= frame.length ? { start, end } : undefined;
}
