/**
 * A bare MessagePack writer for hostile test frames: it writes exactly what it is given (marker
 * maps with wrong fields, non-map envelopes, `Raw` byte runs such as a length header with no data
 * behind it), which the framework's own encoder rightly refuses to produce.
 */

/** Bytes copied into the output as they are. */
export class Raw {
  constructor(readonly bytes: Uint8Array) {}
}

/** A value `packRaw` can write. */
export type RawValue = null | boolean | number | string | Uint8Array | Raw | RawValue[] | { [key: string]: RawValue };

/** The MessagePack bytes of `value`; integers are written as integers, other numbers as float64. */
export function packRaw(value: RawValue): Uint8Array {
  const out: number[] = [];
  write(value, out);
  return Uint8Array.from(out);
}

function write(value: RawValue, out: number[]): void {
  if (value === null) out.push(0xc0);
  else if (typeof value === 'boolean') out.push(value ? 0xc3 : 0xc2);
  else if (typeof value === 'number') writeNumber(value, out);
  else if (typeof value === 'string') writeBytes(Buffer.from(value, 'utf8'), [0xa0, 31, 0xd9, 0xda, 0xdb], out);
  else if (value instanceof Raw) pushAll(out, value.bytes);
  else if (value instanceof Uint8Array) writeBytes(value, [-1, -1, 0xc4, 0xc5, 0xc6], out);
  else if (Array.isArray(value)) {
    header(value.length, 0x90, 0xdc, 0xdd, out);
    for (const item of value) write(item, out);
  } else {
    const entries = Object.entries(value);
    header(entries.length, 0x80, 0xde, 0xdf, out);
    for (const [key, item] of entries) {
      write(key, out);
      write(item, out);
    }
  }
}

function writeNumber(value: number, out: number[]): void {
  if (Number.isInteger(value) && value >= 0 && value <= 0x7f) out.push(value);
  else if (Number.isInteger(value) && value >= -32 && value < 0) out.push(value & 0xff);
  else if (Number.isInteger(value) && value >= -0x80000000 && value <= 0xffffffff) {
    out.push(value < 0 ? 0xd2 : 0xce, ...be32(value >>> 0));
  } else {
    const bytes = Buffer.alloc(9);
    bytes[0] = 0xcb;
    bytes.writeDoubleBE(value, 1);
    pushAll(out, bytes);
  }
}

/** `codes`: [fix base, fix max length, 8-bit, 16-bit, 32-bit] (-1: no such form). */
function writeBytes(bytes: Uint8Array, codes: number[], out: number[]): void {
  const [fix, fixMax, c8, c16, c32] = codes as [number, number, number, number, number];
  const n = bytes.length;
  if (fix >= 0 && n <= fixMax) out.push(fix | n);
  else if (n <= 0xff) out.push(c8, n);
  else if (n <= 0xffff) out.push(c16, n >> 8, n & 0xff);
  else out.push(c32, ...be32(n));
  pushAll(out, bytes);
}

function header(n: number, fix: number, c16: number, c32: number, out: number[]): void {
  if (n < 16) out.push(fix | n);
  else if (n <= 0xffff) out.push(c16, n >> 8, n & 0xff);
  else out.push(c32, ...be32(n));
}

function be32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function pushAll(out: number[], bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 1) out.push(bytes[i]!);
}
