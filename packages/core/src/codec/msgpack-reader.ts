/**
 * A MessagePack reader for untrusted frames: only the MessagePack spec (extension types are
 * returned as {@link ExtensionValue}, except the timestamp type, read as a Date), a nesting limit
 * instead of unbounded recursion, no `__proto__` keys, lengths checked against the bytes left
 * before anything is allocated, map keys through a converter (strings stay as they are). Values
 * come out as `@msgpack/msgpack` (with `useBigInt64`) gives them: 64-bit integer types as
 * bigints, bin as a view of the frame, invalid UTF-8 replaced.
 */

/** A MessagePack extension value of a type the reader does not know. */
export class ExtensionValue {
  /** The extension type (-128…127). */
  readonly type: number;
  /** Its bytes (a view of the frame). */
  readonly data: Uint8Array;

  constructor(type: number, data: Uint8Array) {
    this.type = type;
    this.data = data;
  }
}

/** Why a frame could not be read (no path: the bytes themselves are wrong, or nest too deep). */
export class ReadFault extends Error {
  /** The frame nests deeper than allowed (it may be valid MessagePack). */
  readonly tooDeep: boolean;

  constructor(what: string, tooDeep = false) {
    super(what);
    this.name = 'ReadFault';
    this.tooDeep = tooDeep;
  }
}

/** Turns a map key that is not a string (number, bigint, marker map…) into an object key; throws to refuse it. */
export type KeyConverter = (key: unknown) => string | number;

const TIMESTAMP_TYPE = -1;
const utf8 = new TextDecoder('utf-8');

// Module-level state of the frame being read: the reader is synchronous and never re-entered.
let bytes: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;
let maxDepth = 0;
let convertKey: KeyConverter = String as KeyConverter;

const scratch = new DataView(new ArrayBuffer(8));

/**
 * The one MessagePack value filling `frame`, nesting at most `depthLimit` maps and arrays. Throws
 * ReadFault (truncated, bytes after the value, unknown type byte, too deep, `__proto__` key) or
 * what `keys` throws for a key it refuses.
 */
export function readMessagePack(frame: Uint8Array, depthLimit: number, keys: KeyConverter): unknown {
  bytes = frame;
  pos = 0;
  end = frame.length;
  maxDepth = depthLimit;
  convertKey = keys;
  try {
    const value = readValue(0);
    if (pos < end) throw new ReadFault(`bytes follow the message (${end - pos} of ${end})`);
    return value;
  } finally {
    bytes = EMPTY;
  }
}

const EMPTY: Uint8Array = new Uint8Array(0);

function truncated(): ReadFault {
  return new ReadFault('it is truncated');
}

function need(count: number): void {
  if (end - pos < count) throw truncated();
}

function u8(): number {
  if (pos >= end) throw truncated();
  return bytes[pos++]!;
}

function u16(): number {
  need(2);
  const value = (bytes[pos]! << 8) | bytes[pos + 1]!;
  pos += 2;
  return value;
}

function u32(): number {
  need(4);
  const value = bytes[pos]! * 0x1000000 + ((bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!);
  pos += 4;
  return value;
}

function fill(count: number): DataView {
  need(count);
  for (let i = 0; i < count; i++) scratch.setUint8(i, bytes[pos + i]!);
  pos += count;
  return scratch;
}

function readValue(depth: number): unknown {
  const head = u8();
  if (head <= 0x7f) return head;
  if (head >= 0xe0) return head - 0x100;
  if (head >= 0xa0 && head <= 0xbf) return readString(head & 0x1f);
  if (head >= 0x80 && head <= 0x8f) return readMap(head & 0x0f, depth);
  if (head >= 0x90 && head <= 0x9f) return readArray(head & 0x0f, depth);
  switch (head) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      return readBin(u8());
    case 0xc5:
      return readBin(u16());
    case 0xc6:
      return readBin(u32());
    case 0xc7:
      return readExtension(u8());
    case 0xc8:
      return readExtension(u16());
    case 0xc9:
      return readExtension(u32());
    case 0xca:
      return fill(4).getFloat32(0);
    case 0xcb:
      return fill(8).getFloat64(0);
    case 0xcc:
      return u8();
    case 0xcd:
      return u16();
    case 0xce:
      return u32();
    case 0xcf:
      return fill(8).getBigUint64(0);
    case 0xd0:
      return (u8() << 24) >> 24;
    case 0xd1:
      return (u16() << 16) >> 16;
    case 0xd2:
      return u32() | 0;
    case 0xd3:
      return fill(8).getBigInt64(0);
    case 0xd4:
      return readExtension(1);
    case 0xd5:
      return readExtension(2);
    case 0xd6:
      return readExtension(4);
    case 0xd7:
      return readExtension(8);
    case 0xd8:
      return readExtension(16);
    case 0xd9:
      return readString(u8());
    case 0xda:
      return readString(u16());
    case 0xdb:
      return readString(u32());
    case 0xdc:
      return readArray(u16(), depth);
    case 0xdd:
      return readArray(u32(), depth);
    case 0xde:
      return readMap(u16(), depth);
    case 0xdf:
      return readMap(u32(), depth);
    default:
      throw new ReadFault(`type byte 0x${head.toString(16)} is not MessagePack`);
  }
}

function tooDeep(): ReadFault {
  return new ReadFault(`it nests deeper than ${maxDepth} levels`, true);
}

function readArray(size: number, depth: number): unknown[] {
  if (depth >= maxDepth) throw tooDeep();
  // Every item takes at least one byte: a length beyond the frame is refused before allocating.
  need(size);
  const items = new Array<unknown>(size);
  for (let i = 0; i < size; i++) items[i] = readValue(depth + 1);
  return items;
}

function readMap(size: number, depth: number): Record<string, unknown> {
  if (depth >= maxDepth) throw tooDeep();
  need(size * 2);
  const map: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) {
    const key = readKey(depth);
    map[key] = readValue(depth + 1);
  }
  return map;
}

function readKey(depth: number): string | number {
  const head = bytes[pos];
  let key: string | number;
  if (head !== undefined && head >= 0xa0 && head <= 0xbf) {
    pos += 1;
    key = readString(head & 0x1f);
  } else if (head === 0xd9) {
    pos += 1;
    key = readString(u8());
  } else {
    const value = readValue(depth + 1);
    key = typeof value === 'string' ? value : convertKey(value);
  }
  if (key === '__proto__') throw new ReadFault('a map has the key __proto__, which is not allowed');
  return key;
}

function readBin(size: number): Uint8Array {
  need(size);
  const view = bytes.subarray(pos, pos + size);
  pos += size;
  return view;
}

function readString(size: number): string {
  need(size);
  const start = pos;
  pos += size;
  if (size > 32) return utf8.decode(bytes.subarray(start, pos));
  const short = shortString(start, size);
  return short ?? utf8.decode(bytes.subarray(start, start + size));
}

/** A short ASCII string (cached: map keys and enum-like values repeat), or undefined when it is not ASCII. */
function shortString(start: number, size: number): string | undefined {
  let hash = size;
  for (let i = start; i < start + size; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return undefined;
    hash = (hash * 31 + byte) | 0;
  }
  const slot = (hash ^ (hash >>> 15)) & (CACHE_SLOTS - 1);
  const cached = cacheText[slot];
  if (cached !== undefined && cached.length === size) {
    let same = true;
    for (let i = 0; i < size; i++) {
      if (cached.charCodeAt(i) !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  let text = '';
  for (let i = start; i < start + size; i++) text += String.fromCharCode(bytes[i]!);
  if (size <= CACHED_MAX) cacheText[slot] = text;
  return text;
}

const CACHE_SLOTS = 512;
const CACHED_MAX = 16;
const cacheText: (string | undefined)[] = new Array(CACHE_SLOTS).fill(undefined);

function readExtension(size: number): unknown {
  const type = (u8() << 24) >> 24;
  need(size);
  const data = bytes.subarray(pos, pos + size);
  pos += size;
  return type === TIMESTAMP_TYPE ? timestamp(data) : new ExtensionValue(type, data);
}

function timestamp(data: Uint8Array): Date {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length === 4) return new Date(view.getUint32(0) * 1000);
  if (data.length === 8) {
    const high = view.getUint32(0);
    const nanoseconds = high >>> 2;
    const seconds = (high & 0x3) * 0x100000000 + view.getUint32(4);
    return new Date(seconds * 1000 + nanoseconds / 1e6);
  }
  if (data.length === 12) {
    const seconds = Number(view.getBigInt64(4));
    return new Date(seconds * 1000 + view.getUint32(0) / 1e6);
  }
  throw new ReadFault(`a timestamp extension has ${data.length} bytes, not 4, 8 or 12`);
}
