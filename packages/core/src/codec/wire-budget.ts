/**
 * The budget of one inbound frame, checked in one pass over its MessagePack bytes before anything
 * is decoded: nesting depth, the number of elements (array items and map entries, all levels
 * together), and every declared length against the bytes that are left. A hostile frame (16 MB of
 * nested one-element arrays, a header claiming 2³² items) so costs one linear read of its bytes,
 * never the tree it describes. Strings, bins and extensions are skipped, not read.
 */
import { WIRE_MAX_DEPTH } from './markers.js';
import { WireFault } from './wire-path.js';

/** What one inbound frame may hold. */
export interface WireLimits {
  /** Deepest nesting of maps and arrays, the frame's own top-level map counted as 1 (at most WIRE_MAX_DEPTH). */
  readonly maxDepth: number;
  /** Most array items plus map entries in the whole frame. */
  readonly maxElements: number;
}

/** Elements a frame may hold by default: room for big order books, while a hostile frame stays around 100 MB of heap. */
export const DEFAULT_MAX_ELEMENTS = 1_000_000;

/** The limits used where an endpoint sets none. */
export const DEFAULT_WIRE_LIMITS: WireLimits = Object.freeze({ maxDepth: WIRE_MAX_DEPTH, maxElements: DEFAULT_MAX_ELEMENTS });

/** What follows a MessagePack head byte, by kind (one table lookup per value: the scan runs on every inbound frame). */
const SCALAR = 0; // SKIP[head] more bytes
const RAW = 1; // str/bin: a LENGTH_BYTES[head]-byte length, then that many bytes
const EXT = 2; // a LENGTH_BYTES[head]-byte length, a type byte, then that many bytes
const FIXSTR = 3; // head & 0x1f bytes
const FIXARRAY = 4; // head & 0x0f items
const FIXMAP = 5; // head & 0x0f entries
const ARRAY = 6; // a LENGTH_BYTES[head]-byte count of items
const MAP = 7; // a LENGTH_BYTES[head]-byte count of entries
const INVALID = 8; // 0xc1, never used

const KIND = new Uint8Array(256);
const STACK = new Float64Array(WIRE_MAX_DEPTH + 1);
const SKIP = new Uint8Array(256);
const LENGTH_BYTES = new Uint8Array(256);
for (let head = 0; head < 256; head++) {
  if (head <= 0x7f || head >= 0xe0) KIND[head] = SCALAR;
  else if (head <= 0x8f) KIND[head] = FIXMAP;
  else if (head <= 0x9f) KIND[head] = FIXARRAY;
  else if (head <= 0xbf) KIND[head] = FIXSTR;
}
const sized: [head: number, kind: number, lengthBytes: number, skip: number][] = [
  [0xc0, SCALAR, 0, 0],
  [0xc1, INVALID, 0, 0],
  [0xc2, SCALAR, 0, 0],
  [0xc3, SCALAR, 0, 0],
  [0xc4, RAW, 1, 0],
  [0xc5, RAW, 2, 0],
  [0xc6, RAW, 4, 0],
  [0xc7, EXT, 1, 0],
  [0xc8, EXT, 2, 0],
  [0xc9, EXT, 4, 0],
  [0xca, SCALAR, 0, 4],
  [0xcb, SCALAR, 0, 8],
  [0xcc, SCALAR, 0, 1],
  [0xcd, SCALAR, 0, 2],
  [0xce, SCALAR, 0, 4],
  [0xcf, SCALAR, 0, 8],
  [0xd0, SCALAR, 0, 1],
  [0xd1, SCALAR, 0, 2],
  [0xd2, SCALAR, 0, 4],
  [0xd3, SCALAR, 0, 8],
  [0xd4, SCALAR, 0, 2],
  [0xd5, SCALAR, 0, 3],
  [0xd6, SCALAR, 0, 5],
  [0xd7, SCALAR, 0, 9],
  [0xd8, SCALAR, 0, 17],
  [0xd9, RAW, 1, 0],
  [0xda, RAW, 2, 0],
  [0xdb, RAW, 4, 0],
  [0xdc, ARRAY, 2, 0],
  [0xdd, ARRAY, 4, 0],
  [0xde, MAP, 2, 0],
  [0xdf, MAP, 4, 0],
];
for (const [head, kind, lengthBytes, skip] of sized) {
  KIND[head] = kind;
  LENGTH_BYTES[head] = lengthBytes;
  SKIP[head] = skip;
}

function readLength(frame: Uint8Array, at: number, bytes: number): number {
  if (bytes === 1) return frame[at]!;
  if (bytes === 2) return (frame[at]! << 8) | frame[at + 1]!;
  return ((frame[at]! << 24) | (frame[at + 1]! << 16) | (frame[at + 2]! << 8) | frame[at + 3]!) >>> 0;
}

function truncated(): WireFault {
  return new WireFault(
    'it is truncated (a length runs past the end of the frame)',
    'The sender must send one whole MessagePack object per frame',
  );
}

/**
 * Throws a WireFault unless `frame` (from `start`) holds one MessagePack object within `limits`.
 * Bytes after that object are left to the decoder, which refuses them.
 */
export function checkWireBudget(frame: Uint8Array, start: number, limits: WireLimits): void {
  const end = frame.length;
  const { maxElements } = limits;
  const maxDepth = Math.min(limits.maxDepth, WIRE_MAX_DEPTH);
  // Items still to read in each enclosing container (a map entry is two items: key and value);
  // one shared stack, as the scan is synchronous and maxDepth is at most WIRE_MAX_DEPTH.
  const open = STACK;
  let depth = 0;
  let elements = 0;
  let at = start;
  let pending = 1;
  for (;;) {
    while (pending === 0) {
      if (depth === 0) {
        // A skipped string or scalar ran past the end (checked once here, not after every skip).
        if (at > end) throw truncated();
        return;
      }
      depth -= 1;
      pending = open[depth]!;
    }
    pending -= 1;
    if (at >= end) throw truncated();
    const head = frame[at]!;
    at += 1;
    const kind = KIND[head]!;
    let count: number;
    let items: number;
    if (kind === SCALAR) {
      at += SKIP[head]!;
      continue;
    } else if (kind === FIXSTR) {
      at += head & 0x1f;
      continue;
    } else if (kind === FIXMAP) {
      count = head & 0x0f;
      items = count * 2;
    } else if (kind === FIXARRAY) {
      count = head & 0x0f;
      items = count;
    } else if (kind === INVALID) {
      throw new WireFault(`byte 0x${head.toString(16)} at offset ${at - 1} starts no MessagePack value`);
    } else {
      const lengthBytes = LENGTH_BYTES[head]!;
      if (at + lengthBytes > end) throw truncated();
      const length = readLength(frame, at, lengthBytes);
      at += lengthBytes;
      if (kind === RAW) {
        at += length;
        continue;
      }
      if (kind === EXT) {
        at += 1 + length;
        continue;
      }
      count = length;
      items = kind === MAP ? length * 2 : length;
    }
    // A container at level depth + 1 (the top-level value is level 1).
    if (depth >= maxDepth) {
      throw new WireFault(`it nests deeper than ${maxDepth} levels`, 'The sender must flatten the value');
    }
    // Every item takes at least one byte, so a longer claim is a lie told to make us allocate.
    if (items > end - at) throw truncated();
    elements += count;
    if (elements > maxElements) {
      throw new WireFault(
        `it holds more than ${maxElements} elements (array items and map entries)`,
        "Send fewer elements per message, or raise the receiving endpoint's max_elements creation argument",
      );
    }
    if (items === 0) continue;
    open[depth] = pending;
    depth += 1;
    pending = items;
  }
}
