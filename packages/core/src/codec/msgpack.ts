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
import { isAscii } from 'node:buffer';
import { Decoder } from '@msgpack/msgpack';
// The `pack` entry: under Node it is msgpackr without its native string extractor (msgpackr-extract),
// which only speeds up msgpackr's reader, unused here; loading that addon cost every start-up ~20 ms.
import { Packr, RESET_BUFFER_MODE } from 'msgpackr/pack';
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

/**
 * Strings at least this long (bytes) that are ASCII are decoded with `latin1`, which Node turns
 * into an external string (malloc'd, so reused pages) from its `EXTERN_APEX` (0xFBEE9 bytes) on;
 * V8 would put a `TextDecoder` result of that size on fresh large-object pages, about 4× slower
 * (docs/performance.md, "Large messages"). Below it `latin1` is no faster, so smaller strings keep
 * the library's path.
 */
export const EXTERNAL_STRING_BYTES = 0xfbee9;

/**
 * Values (not map keys) up to this many bytes that are ASCII are built from their char codes here:
 * the library's JS decoder collects each short string's char codes in an array first, the largest
 * allocation per request/reply call (docs/performance.md, "Request/reply p50 and p99"). Map keys
 * keep the key cache (`key-cache.ts`).
 */
export const SHORT_STRING_BYTES = 64;

/** The Decoder internals the string hook reads: private in its types, plain fields and methods at run time (3.1.x). */
interface DecoderInternals {
  bytes: Uint8Array;
  pos: number;
  maxStrLength: number;
  stateIsMapKey(): boolean;
  decodeUtf8String(byteLength: number, headerOffset: number): string;
}

const decoder = new Decoder({ useBigInt64: true, mapKeyConverter: mapKeyFromWire, keyDecoder: new KeyCache() });
const libraryDecodeString = (Decoder.prototype as unknown as DecoderInternals).decodeUtf8String;

const fromCharCode = String.fromCharCode;

/**
 * The text of the `length` bytes of `bytes` from `start` when they are all ASCII, else undefined;
 * 16 char codes per call, no array in between (for {@link SHORT_STRING_BYTES} at most).
 */
function shortAscii(b: Uint8Array, start: number, length: number): string | undefined {
  const end = start + length;
  for (let i = start; i < end; i++) if (b[i]! > 0x7f) return undefined;
  let text = '';
  let i = start;
  for (; i + 16 <= end; i += 16) {
    // biome-ignore format: one call, sixteen codes
    text += fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!,
      b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!);
  }
  for (; i + 4 <= end; i += 4) text += fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
  for (; i < end; i++) text += fromCharCode(b[i]!);
  return text;
}

/**
 * The decoder's one change: an ASCII string value that is short (see {@link SHORT_STRING_BYTES})
 * or long (see {@link EXTERNAL_STRING_BYTES}) is built here, the same text; every other string,
 * and every check, is the library's own. `msgpack.test.ts` fails if a new version of
 * the library stops calling this hook.
 */
(decoder as unknown as DecoderInternals).decodeUtf8String = function decodeUtf8String(
  this: DecoderInternals,
  byteLength: number,
  headerOffset: number,
): string {
  const start = this.pos + headerOffset;
  const bytes = this.bytes;
  if (start + byteLength <= bytes.byteLength && byteLength <= this.maxStrLength) {
    if (byteLength <= SHORT_STRING_BYTES) {
      const text = byteLength > 0 && !this.stateIsMapKey() ? shortAscii(bytes, start, byteLength) : undefined;
      if (text !== undefined) {
        this.pos = start + byteLength;
        return text;
      }
    } else if (byteLength >= EXTERNAL_STRING_BYTES) {
      const view = Buffer.from(bytes.buffer, bytes.byteOffset + start, byteLength);
      if (isAscii(view)) {
        this.pos = start + byteLength;
        return view.toString('latin1');
      }
    }
  }
  return libraryDecodeString.call(this, byteLength, headerOffset);
};

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

/** Frames up to this many bytes are cut from a shared slab (Node's own pool takes those up to 4 KB). */
export const SLAB_FRAME_BYTES = 32 * 1024;

/** Size of one slab of frames: a kept frame keeps its slab alive, as a small Buffer keeps Node's 8 KB pool. */
const SLAB_BYTES = 256 * 1024;

let slab: ArrayBufferLike = new ArrayBuffer(0);
let slabUsed = 0;

/** A plain Uint8Array of `length` bytes for the caller to fill entirely. */
export function newFrame(length: number): Uint8Array {
  if (length > SLAB_FRAME_BYTES || length <= Buffer.poolSize >>> 1) {
    // allocUnsafe: small frames are slices of Node's shared pool, large ones skip the zero-fill.
    const owned = Buffer.allocUnsafe(length);
    return new Uint8Array(owned.buffer, owned.byteOffset, length);
  }
  // Frames of 4–32 KB (a 10 KB publication): one ArrayBuffer per frame costs a malloc, an external
  // memory entry and more GC; a slice of a slab costs a view (docs/performance.md, "Large messages").
  if (slabUsed + length > slab.byteLength) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES).buffer;
    slabUsed = 0;
  }
  const frame = new Uint8Array(slab, slabUsed, length);
  slabUsed = (slabUsed + length + 7) & ~7;
  return frame;
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
