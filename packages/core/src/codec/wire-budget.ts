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

/** Bytes of the length field after each MessagePack head byte from 0xc4 up (0: fixed-size, -1: not a type). */
const SIZED: Record<number, [lengthBytes: number, kind: 'raw' | 'ext' | 'array' | 'map' | 'fixed', extra: number]> = {
  192: [0, 'fixed', 0],
  194: [0, 'fixed', 0],
  195: [0, 'fixed', 0],
  196: [1, 'raw', 0],
  197: [2, 'raw', 0],
  198: [4, 'raw', 0],
  199: [1, 'ext', 0],
  200: [2, 'ext', 0],
  201: [4, 'ext', 0],
  202: [0, 'fixed', 4],
  203: [0, 'fixed', 8],
  204: [0, 'fixed', 1],
  205: [0, 'fixed', 2],
  206: [0, 'fixed', 4],
  207: [0, 'fixed', 8],
  208: [0, 'fixed', 1],
  209: [0, 'fixed', 2],
  210: [0, 'fixed', 4],
  211: [0, 'fixed', 8],
  212: [0, 'fixed', 2],
  213: [0, 'fixed', 3],
  214: [0, 'fixed', 5],
  215: [0, 'fixed', 9],
  216: [0, 'fixed', 17],
  217: [1, 'raw', 0],
  218: [2, 'raw', 0],
  219: [4, 'raw', 0],
  220: [2, 'array', 0],
  221: [4, 'array', 0],
  222: [2, 'map', 0],
  223: [4, 'map', 0],
};

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
  // Items still to read in each enclosing container (a map entry is two items: key and value).
  const open: number[] = [];
  let elements = 0;
  let at = start;
  let pending = 1;
  for (;;) {
    while (pending === 0) {
      if (open.length === 0) return;
      pending = open.pop()!;
    }
    pending -= 1;
    if (at >= end) throw truncated();
    const head = frame[at]!;
    at += 1;
    let count: number;
    let isMap = false;
    if (head <= 0x7f || head >= 0xe0) continue;
    if (head <= 0x8f) {
      count = head & 0x0f;
      isMap = true;
    } else if (head <= 0x9f) count = head & 0x0f;
    else if (head <= 0xbf) {
      at += head & 0x1f;
      if (at > end) throw truncated();
      continue;
    } else {
      const sized = SIZED[head];
      if (sized === undefined) throw new WireFault(`byte 0x${head.toString(16)} at offset ${at - 1} starts no MessagePack value`);
      const [lengthBytes, kind, extra] = sized;
      if (at + lengthBytes > end) throw truncated();
      const length = lengthBytes === 0 ? 0 : readLength(frame, at, lengthBytes);
      at += lengthBytes;
      if (kind !== 'array' && kind !== 'map') {
        at += kind === 'fixed' ? extra : kind === 'raw' ? length : 1 + length;
        if (at > end) throw truncated();
        continue;
      }
      count = length;
      isMap = kind === 'map';
    }
    // A container at level open.length + 1 (the top-level value is level 1).
    if (open.length + 1 > limits.maxDepth) {
      throw new WireFault(`it nests deeper than ${limits.maxDepth} levels`, 'The sender must flatten the value');
    }
    const items = isMap ? count * 2 : count;
    // Every item takes at least one byte, so a longer claim is a lie told to make us allocate.
    if (items > end - at) throw truncated();
    elements += count;
    if (elements > limits.maxElements) {
      throw new WireFault(
        `it holds more than ${limits.maxElements} elements (array items and map entries)`,
        "Send fewer elements per message, or raise the receiving endpoint's max_elements creation argument",
      );
    }
    if (items === 0) continue;
    open.push(pending);
    pending = items;
  }
}
